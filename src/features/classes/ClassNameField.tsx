import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_CLASS_NAME, renameClass } from '../../store/actions/classes';
import type { ClassInfo } from '../../store/types';

/** The class's name, edited in place: commits on Enter or leaving the field; Escape restores it. */
export function ClassNameField({ cls }: { cls: ClassInfo }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(cls.name);
  const [error, setError] = useState<string | null>(null);
  const [lastName, setLastName] = useState(cls.name);
  const errorId = useId();
  if (cls.name !== lastName) {
    // The name changed elsewhere (e.g. a project was opened): follow it.
    setLastName(cls.name);
    setDraft(cls.name);
  }
  const commit = () => {
    if (draft === cls.name) {
      setError(null);
      return;
    }
    const reason = renameClass(cls.id, draft);
    setError(reason);
  };
  return (
    <div className="name-field">
      <input
        className="class-name"
        aria-label={t('classes.name')}
        value={draft}
        maxLength={MAX_CLASS_NAME}
        aria-invalid={error ? 'true' : 'false'}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setDraft(cls.name);
            setError(null);
          }
        }}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

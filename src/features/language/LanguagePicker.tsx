import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGES, setLanguage, type Language } from '../../i18n';

/**
 * The "Language" picker: each language listed under its own name (so a person who cannot read the current one
 * still finds theirs). The label is translated; choosing re-renders the whole page at once.
 */
export function LanguagePicker() {
  // useTranslation re-renders this (and every component that uses it) when the language changes.
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="language-picker">
      <label htmlFor={id}>{t('language.label')}</label>
      <select id={id} value={currentLanguage()} onChange={(e) => setLanguage(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

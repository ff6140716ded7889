import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/appStore';
import { addClass } from '../../store/actions/classes';
import { ClassCard } from './ClassCard';
import { Icon } from '../../ui/Icon';

/** The classes, in order, and the button that adds one. */
export function ClassList() {
  const { t } = useTranslation();
  const classes = useAppStore((s) => s.classes);
  return (
    <div className="class-list">
      {classes.map((c) => (
        <ClassCard key={c.id} cls={c} />
      ))}
      <button type="button" className="btn add-class" onClick={() => addClass()}>
        <Icon name="plus" />
        {t('classes.add')}
      </button>
    </div>
  );
}

import { memo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, t } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { deleteClass } from '../../store/actions/classes';
import { openWebcam } from '../../store/actions/camera';
import type { ClassInfo } from '../../store/types';
import { Icon } from '../../ui/Icon';
import { WebcamPanel } from '../capture/WebcamPanel';
import { UploadInput, useDropZone } from '../capture/UploadInput';
import { UploadProgressBar } from '../capture/UploadProgressBar';
import { ClassNameField } from './ClassNameField';
import { SampleGrid } from './SampleGrid';

/** "0 examples", "1 example", "1,400 examples", in the current language's plural and digits. */
export function exampleCount(n: number): string {
  return t('classes.exampleCount', { count: n, n: formatNumber(n) });
}

/**
 * One class: its name, count, capture tools and thumbnails. A region named by the class's name. Deleting it asks
 * nothing: "Undo" puts it back. Memoised: adding an example to one class re-renders no other card.
 */
export const ClassCard = memo(function ClassCard({ cls }: { cls: ClassInfo }) {
  const { t } = useTranslation();
  const cameraHere = useAppStore((s) => (s.camera.open || s.camera.starting) && s.camera.classId === cls.id);
  const drop = useDropZone(cls.id);
  const card = useRef<HTMLElement>(null);
  const remove = () => {
    // Focus goes on to the next card's name (or "Add a class"), not to the page's start.
    const next = card.current?.nextElementSibling ?? card.current?.previousElementSibling;
    deleteClass(cls.id);
    const target = next instanceof HTMLElement ? (next.matches('button, input') ? next : next.querySelector<HTMLElement>('input, button')) : null;
    target?.focus();
  };
  return (
    <section ref={card} data-class-id={cls.id} className={`card class-card${drop.over ? ' drop-over' : ''}`} aria-label={cls.name} {...drop.handlers}>
      <header className="class-head">
        <ClassNameField cls={cls} />
        <span className="count">{exampleCount(cls.sampleIds.length)}</span>
        <button type="button" className="btn ghost small" onClick={remove}>
          {t('classes.delete')}
        </button>
      </header>
      {cameraHere ? (
        <WebcamPanel classId={cls.id} />
      ) : (
        <div className="capture-buttons">
          <button type="button" className="btn" onClick={() => void openWebcam(cls.id)}>
            <Icon name="camera" />
            {t('capture.webcam')}
          </button>
          <UploadInput classId={cls.id} />
        </div>
      )}
      <UploadProgressBar classId={cls.id} />
      <SampleGrid cls={cls} />
    </section>
  );
});

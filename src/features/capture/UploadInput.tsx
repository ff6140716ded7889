import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addFiles } from '../../store/actions/addSamples';
import type { ClassId } from '../../store/types';
import { Icon } from '../../ui/Icon';

/** A real, focusable file input styled as a button ("Upload images", several files at once). */
export function UploadInput({ classId }: { classId: ClassId }) {
  const { t } = useTranslation();
  return (
    <label className="btn file-btn">
      <Icon name="upload" />
      {t('capture.upload')}
      <input
        type="file"
        className="visually-hidden"
        accept="image/*"
        multiple
        aria-label={t('capture.upload')}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          void addFiles(classId, files);
        }}
      />
    </label>
  );
}

/** Drag-and-drop of image files onto a class card. Non-image files are passed on so they get a message. */
export function useDropZone(classId: ClassId) {
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        void addFiles(classId, Array.from(e.dataTransfer.files));
      },
    },
  };
}

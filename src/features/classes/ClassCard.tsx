import { useState } from 'react';
import { useAppStore } from '../../store/appStore';
import { deleteClass } from '../../store/actions/classes';
import { openWebcam } from '../../store/actions/camera';
import type { ClassInfo } from '../../store/types';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Icon } from '../../ui/Icon';
import { WebcamPanel } from '../capture/WebcamPanel';
import { UploadInput, useDropZone } from '../capture/UploadInput';
import { UploadProgressBar } from '../capture/UploadProgressBar';
import { ClassNameField } from './ClassNameField';
import { SampleGrid } from './SampleGrid';

/** "0 examples", "1 example", "1400 examples" (plain digits: tests and screen readers rely on it). */
export function exampleCount(n: number): string {
  return `${n} ${n === 1 ? 'example' : 'examples'}`;
}

/** One class: its name, count, capture tools and thumbnails. A region named by the class's name. */
export function ClassCard({ cls }: { cls: ClassInfo }) {
  const cameraHere = useAppStore((s) => (s.camera.open || s.camera.starting) && s.camera.classId === cls.id);
  const [confirming, setConfirming] = useState(false);
  const drop = useDropZone(cls.id);
  return (
    <section className={`card class-card${drop.over ? ' drop-over' : ''}`} aria-label={cls.name} {...drop.handlers}>
      <header className="class-head">
        <ClassNameField cls={cls} />
        <span className="count">{exampleCount(cls.sampleIds.length)}</span>
        <button type="button" className="btn ghost small" onClick={() => setConfirming(true)}>
          Delete class
        </button>
      </header>
      {cameraHere ? (
        <WebcamPanel classId={cls.id} />
      ) : (
        <div className="capture-buttons">
          <button type="button" className="btn" onClick={() => void openWebcam(cls.id)}>
            <Icon name="camera" />
            Webcam
          </button>
          <UploadInput classId={cls.id} />
        </div>
      )}
      <UploadProgressBar classId={cls.id} />
      <SampleGrid cls={cls} />
      <ConfirmDialog
        open={confirming}
        title={`Delete "${cls.name}"?`}
        message={`This removes the class and its ${exampleCount(cls.sampleIds.length)}. This cannot be undone.`}
        confirmLabel="Delete"
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          deleteClass(cls.id);
        }}
      />
    </section>
  );
}

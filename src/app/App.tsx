import { useTranslation } from 'react-i18next';
import { ClassList } from '../features/classes/ClassList';
import { DataChecksPanel } from '../features/dataChecks/DataChecksPanel';
import { UndoToast } from '../features/classes/UndoToast';
import { PreviewPanel } from '../features/preview/PreviewPanel';
import { TrainingPanel } from '../features/training/TrainingPanel';
import { UnderTheHood } from '../features/training/UnderTheHood';
import { LanguagePicker } from '../features/language/LanguagePicker';
import { EngineStatus } from './EngineStatus';
import { ErrorArea } from './ErrorArea';
import { UpdatePrompt } from './UpdatePrompt';
import { ProjectToolbar, RestoreOverlay } from '../features/project/ProjectToolbar';
import { baseChoice } from '../store/baseChoice';
import { useAppStore } from '../store/appStore';

/** The page: classes on the left, training in the middle, preview on the right (like Teachable Machine). */
export function App() {
  const { t } = useTranslation();
  const models = useBaseCredit();
  return (
    <div className="app">
      {/* One banner landmark holds the title, the project bar and the page's messages (nothing outside a landmark). */}
      <header className="page-head">
        <div className="topbar">
          <div className="brand">
            <span className="logo" aria-hidden="true">◐</span>
            <h1>Glance</h1>
            <span className="tagline">{t('app.tagline')}</span>
          </div>
          <div className="topbar-end">
            <EngineStatus />
            <LanguagePicker />
          </div>
        </div>
        <ProjectToolbar />
        <RestoreOverlay />
        <UpdatePrompt />
        <ErrorArea />
      </header>
      <main className="workspace">
        <div className="col classes-col">
          <ClassList />
        </div>
        <div className="col train-col">
          <TrainingPanel />
          <DataChecksPanel />
          <UnderTheHood />
        </div>
        <div className="col preview-col">
          <PreviewPanel />
        </div>
        <UndoToast />
      </main>
      <footer className="foot muted">{t('app.footer', { models })}</footer>
    </div>
  );
}

/** Names the frozen bases in use (the person can change them in Under the hood). */
function useBaseCredit(): string {
  const id = useAppStore((s) => s.ui.engine.bases);
  return baseChoice(id).bases.map((b) => BASE_NAMES[b.id] ?? b.id).join(' + ');
}

// Model names are proper names: the same in every language.
const BASE_NAMES: Record<string, string> = {
  'mobilenet-v1-025-224': 'MobileNet v1 α0.25 (TF-Hub)',
  'mobilenet-v1-025-224-layers': 'MobileNet v1 α0.25 (Keras)',
  'tm-mobilenet-v2-035-224': 'MobileNetV2 α0.35',
  'mobilenet-v1-075-224-layers': 'MobileNet v1 α0.75 (Keras)',
};

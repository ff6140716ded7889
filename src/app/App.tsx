import { ClassList } from '../features/classes/ClassList';
import { PreviewPanel } from '../features/preview/PreviewPanel';
import { TrainingPanel } from '../features/training/TrainingPanel';
import { UnderTheHood } from '../features/training/UnderTheHood';
import { EngineStatus } from './EngineStatus';
import { ErrorArea } from './ErrorArea';
import { ProjectToolbar, RestoreOverlay } from '../features/project/ProjectToolbar';

/** The page: classes on the left, training in the middle, preview on the right (like Teachable Machine). */
export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">◐</span>
          <h1>Glance</h1>
          <span className="tagline">Teach your computer to recognise images — privately, in this page.</span>
        </div>
        <EngineStatus />
      </header>
      <ProjectToolbar />
      <RestoreOverlay />
      <ErrorArea />
      <main className="workspace">
        <div className="col classes-col">
          <ClassList />
        </div>
        <div className="col train-col">
          <TrainingPanel />
          <UnderTheHood />
        </div>
        <div className="col preview-col">
          <PreviewPanel />
        </div>
      </main>
      <footer className="foot muted">
        Your images never leave this device. Feature extractor: MobileNet v1 α0.25 (Google, Apache-2.0).
      </footer>
    </div>
  );
}

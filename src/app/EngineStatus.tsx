import { useAppStore } from '../store/appStore';
import type { BackendName } from '../ml/backend';

const LABEL: Record<BackendName, string> = { webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** Which backend runs, and the warm-up timings it was chosen by. */
export function EngineStatus() {
  const engine = useAppStore((s) => s.ui.engine);
  if (engine.status === 'loading') {
    return (
      <p className="engine" role="status">
        Loading the image model…
      </p>
    );
  }
  if (engine.status === 'failed' || !engine.backend) {
    return <p className="engine bad">Image model not loaded</p>;
  }
  const timings = engine.timings
    .filter((t) => t.ok && t.msPerEmbedding !== undefined)
    .map((t) => `${LABEL[t.backend]} ${t.msPerEmbedding!.toFixed(1)} ms`)
    .join(' · ');
  const threads = engine.backend === 'wasm' ? engine.threads : null;
  return (
    <div className="engine">
      <span className="badge">Backend: {LABEL[engine.backend]}</span>
      {threads !== null && (
        <span className="muted" title={threads > 1 ? 'Cross-origin isolated: the WASM backend computes on several threads' : 'Not cross-origin isolated, so the WASM backend runs on one thread'}>
          · {threads} {threads === 1 ? 'thread' : 'threads'}
        </span>
      )}
      {engine.inWorker && (
        <span className="muted" title="The image model runs in a worker, so this page stays responsive while it computes">
          · in a worker
        </span>
      )}
      {timings && <span className="muted" title="Warm-up time per image on each backend tried">{timings} per image</span>}
    </div>
  );
}

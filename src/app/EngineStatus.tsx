import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/appStore';
import type { BackendName } from '../ml/backend';
import { formatNumber } from '../i18n';

// Backend names are proper names: the same in every language.
const LABEL: Record<BackendName, string> = { webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** Which backend runs, and the warm-up timings it was chosen by. */
export function EngineStatus() {
  const { t } = useTranslation();
  const engine = useAppStore((s) => s.ui.engine);
  if (engine.status === 'loading') {
    return (
      <p className="engine" role="status">
        {t('engine.loading')}
      </p>
    );
  }
  if (engine.status === 'failed' || !engine.backend) {
    return <p className="engine bad">{t('engine.notLoaded')}</p>;
  }
  const timings = engine.timings
    .filter((x) => x.ok && x.msPerEmbedding !== undefined)
    .map((x) => t('engine.timing', { backend: LABEL[x.backend], ms: formatNumber(x.msPerEmbedding!, 1) }))
    .join(' · ');
  const threads = engine.backend === 'wasm' ? engine.threads : null;
  return (
    <div className="engine">
      <span className="badge">{t('engine.backend', { backend: LABEL[engine.backend] })}</span>
      {threads !== null && (
        <span className="muted" title={threads > 1 ? t('engine.isolated') : t('engine.notIsolated')}>
          · {t('engine.threads', { count: threads, n: formatNumber(threads) })}
        </span>
      )}
      {engine.inWorker && (
        <span className="muted" title={t('engine.inWorkerTitle')}>
          · {t('engine.inWorker')}
        </span>
      )}
      {timings && <span className="muted" title={t('engine.timingsTitle')}>{t('engine.timings', { timings })}</span>}
    </div>
  );
}

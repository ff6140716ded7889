import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n';
import { useAppStore } from '../../store/appStore';
import { showWhereModelLooks } from '../../store/actions/prediction';

/** The occlusion map over the test image (the view shows the same centre square the model sees). */
export function HeatmapOverlay() {
  const { t } = useTranslation();
  const heatmap = useAppStore((s) => s.prediction.heatmap);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || !heatmap.values) return;
    const n = heatmap.grid;
    el.width = n;
    el.height = n;
    const img = ctx.createImageData(n, n);
    heatmap.values.forEach((v, i) => {
      img.data.set([255, Math.round(200 * (1 - v)), 0, Math.round(230 * v)], i * 4);
    });
    ctx.putImageData(img, 0, 0);
  }, [heatmap.values, heatmap.grid]);
  if (!heatmap.on || !heatmap.values) return null;
  return <canvas ref={canvas} className="heatmap" role="img" aria-label={t('heatmap.label')} />;
}

/** The "Show where the model looks" switch and how long the map took. */
export function HeatmapToggle() {
  const { t } = useTranslation();
  const heatmap = useAppStore((s) => s.prediction.heatmap);
  return (
    <div className="heatmap-toggle">
      <label className="check">
        <input type="checkbox" checked={heatmap.on} onChange={(e) => showWhereModelLooks(e.target.checked)} />
        {t('heatmap.toggle')}
      </label>
      {heatmap.on && heatmap.busy && <span className="muted">{t('heatmap.busy')}</span>}
      {heatmap.on && heatmap.values && heatmap.ms !== null && (
        <span className="muted">{t('heatmap.took', { grid: formatNumber(heatmap.grid), ms: formatNumber(Math.round(heatmap.ms)) })}</span>
      )}
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { useAppStore } from '../../store/appStore';
import { showWhereModelLooks } from '../../store/actions/prediction';

/** The occlusion map over the test image (the view shows the same centre square the model sees). */
export function HeatmapOverlay() {
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
  return <canvas ref={canvas} className="heatmap" role="img" aria-label="Where the model looks" />;
}

/** The "Show where the model looks" switch and how long the map took. */
export function HeatmapToggle() {
  const heatmap = useAppStore((s) => s.prediction.heatmap);
  return (
    <div className="heatmap-toggle">
      <label className="check">
        <input type="checkbox" checked={heatmap.on} onChange={(e) => showWhereModelLooks(e.target.checked)} />
        Show where the model looks
      </label>
      {heatmap.on && heatmap.busy && <span className="muted">Working out where it looks…</span>}
      {heatmap.on && heatmap.values && heatmap.ms !== null && (
        <span className="muted">{`${heatmap.grid} × ${heatmap.grid} occlusion map in ${Math.round(heatmap.ms)} ms`}</span>
      )}
    </div>
  );
}

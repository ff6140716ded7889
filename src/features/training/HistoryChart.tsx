import { useEffect, useRef } from 'react';
import { Chart, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { EpochReport } from '../../store/types';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

interface Props {
  history: EpochReport[];
  metric: 'acc' | 'loss';
  title: string;
}

/**
 * Train and validation curves per epoch (Chart.js on a canvas). The canvas is a picture for sighted users;
 * the same numbers are in the "Training history" table next to it for keyboard and screen-reader users.
 */
export function HistoryChart({ history, metric, title }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const val = metric === 'acc' ? 'valAcc' : 'valLoss';
    const scale = (v: number | null) => (v == null ? null : metric === 'acc' ? 100 * v : v);
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: {
        labels: history.map((h) => h.epoch),
        datasets: [
          { label: 'Training', data: history.map((h) => scale(h[metric])), borderColor: '#2f5bea', backgroundColor: '#2f5bea', pointRadius: 0, borderWidth: 2 },
          { label: 'Validation', data: history.map((h) => scale(h[val])), borderColor: '#e67e22', backgroundColor: '#e67e22', pointRadius: 0, borderWidth: 2 },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
        scales: {
          x: { title: { display: true, text: 'Epoch' } },
          y: metric === 'acc' ? { min: 0, max: 100, title: { display: true, text: '%' } } : { min: 0 },
        },
      },
    });
    return () => chart.destroy();
  }, [history, metric]);
  const last = history.at(-1);
  const summary = last
    ? `${title}: ${history.length} epochs; last training ${metric === 'acc' ? `${(100 * last.acc).toFixed(1)}%` : last.loss.toFixed(3)}.`
    : title;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={`${summary} The numbers are in the Training history table.`} />
      </div>
    </figure>
  );
}

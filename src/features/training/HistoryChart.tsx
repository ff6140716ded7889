import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, formatNumber, formatPercent } from '../../i18n';
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
  const { t, i18n } = useTranslation();
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
          { label: t('chart.training'), data: history.map((h) => scale(h[metric])), borderColor: '#2f5bea', backgroundColor: '#2f5bea', pointRadius: 0, borderWidth: 2 },
          { label: t('chart.validation'), data: history.map((h) => scale(h[val])), borderColor: '#e67e22', backgroundColor: '#e67e22', pointRadius: 0, borderWidth: 2 },
        ],
      },
      options: {
        animation: false,
        locale: currentLanguage(),
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
        scales: {
          x: { reverse: i18n.dir() === 'rtl', title: { display: true, text: t('chart.epoch') } },
          y: metric === 'acc' ? { min: 0, max: 100, position: i18n.dir() === 'rtl' ? 'right' : 'left', title: { display: true, text: '%' } } : { min: 0, position: i18n.dir() === 'rtl' ? 'right' : 'left' },
        },
      },
    });
    return () => chart.destroy();
    // Drawn again with the new language's labels and digits when the language changes.
  }, [history, metric, t, i18n]);
  const last = history.at(-1);
  const summary = last
    ? t('chart.summary', { title, count: history.length, n: formatNumber(history.length), last: metric === 'acc' ? formatPercent(last.acc) : formatNumber(last.loss, 3) })
    : title;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={t('chart.label', { summary })} />
      </div>
    </figure>
  );
}

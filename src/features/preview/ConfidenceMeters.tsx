import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPercent } from '../../i18n';
import { useAppStore } from '../../store/appStore';

/**
 * One meter per trained class. Values are written straight to the DOM from a store subscription
 * (zustand transient updates): live prediction never re-renders React.
 */
export function ConfidenceMeters({ labels }: { labels: string[] }) {
  const { i18n } = useTranslation();
  const rows = useRef<(HTMLLIElement | null)[]>([]);
  useLayoutEffect(() => {
    const paint = (conf: number[] | null) => {
      rows.current.forEach((row, i) => {
        if (!row) return;
        const p = conf ? 100 * (conf[i] ?? 0) : 0;
        const meter = row.querySelector<HTMLElement>('[role="meter"]')!;
        meter.setAttribute('aria-valuenow', p.toFixed(2));
        meter.setAttribute('aria-valuetext', formatPercent(p / 100, 1));
        row.querySelector<HTMLElement>('.bar-fill')!.style.transform = `scaleX(${p / 100})`;
        row.querySelector<HTMLElement>('.pct')!.textContent = formatPercent(p / 100, 0);
        row.classList.toggle('top', !!conf && conf[i] === Math.max(...conf));
      });
    };
    paint(useAppStore.getState().prediction.confidences);
    return useAppStore.subscribe((s, prev) => {
      if (s.prediction.confidences !== prev.prediction.confidences) paint(s.prediction.confidences);
    });
    // Painted again in the new language's digits when the language changes.
  }, [labels.length, i18n.language]);
  return (
    <ul className="meters">
      {labels.map((name, i) => (
        <li key={i} className={`meter-row hue-${i % 8}`} ref={(el) => void (rows.current[i] = el)}>
          <span className="meter-name">{name}</span>
          <div className="bar" role="meter" aria-label={name} aria-valuemin={0} aria-valuemax={100}>
            <div className="bar-fill" />
          </div>
          <span className="pct" aria-hidden="true">
            {formatPercent(0, 0)}
          </span>
        </li>
      ))}
    </ul>
  );
}

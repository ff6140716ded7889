/**
 * A labelled role=progressbar: `value` of `max` done. With `max` 0 (not known yet) it is indeterminate: no
 * aria-valuenow, and a sliver of fill shows the work has started.
 */
export function ProgressBar({ label, value, max, valueText }: { label: string; value: number; max: number; valueText?: string }) {
  const known = max > 0;
  const share = known ? Math.min(1, Math.max(0, value / max)) : 0.05;
  return (
    <div
      className="bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? max : undefined}
      aria-valuenow={known ? value : undefined}
      aria-valuetext={valueText}
    >
      <div className="bar-fill" style={{ transform: `scaleX(${share})` }} />
    </div>
  );
}

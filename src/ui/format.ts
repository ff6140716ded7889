import { formatPercent } from '../i18n';

/** A share 0–1 as a percentage in the current language ("93.3%", "93,3 %"); "–" when there is none. */
export const pct = (x: number | null | undefined, fractionDigits = 1): string => (x == null ? '–' : formatPercent(x, fractionDigits));

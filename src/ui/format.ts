/** A share 0–1 as a percentage with one decimal ("93.3%"); "–" when there is none. */
export const pct = (x: number | null | undefined): string => (x == null ? '–' : `${(100 * x).toFixed(1)}%`);

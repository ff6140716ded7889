import { GlanceError } from '../../ml/errors';
import { formatNumber, t } from '../../i18n';
import { setState } from '../appStore';

let nextErrorId = 1;

/** Shows an error to the person as its own role=alert. AbortErrors are the person's own choice: not errors. */
export function pushError(err: unknown): void {
  if (err instanceof DOMException && err.name === 'AbortError') return;
  const message = typeof err === 'string' ? err : describe(err);
  const id = nextErrorId++;
  setState((s) => ({ ui: { ...s.ui, errors: [...s.ui.errors, { id, message }] } }));
}

export function dismissError(id: number): void {
  setState((s) => ({ ui: { ...s.ui, errors: s.ui.errors.filter((e) => e.id !== id) } }));
}

export function dismissAllErrors(): void {
  setState((s) => ({ ui: { ...s.ui, errors: [] } }));
}

/** A passing success message (role=status), e.g. "Model exported". */
export function setNotice(notice: string | null): void {
  setState((s) => ({ ui: { ...s.ui, notice } }));
}

/**
 * Turns anything thrown into a sentence a person can act on, in the page's language. GlanceErrors made in the store,
 * capture and project layers are already translated; the few made deep in src/ml (which has no i18n) keep their English
 * detail inside a translated sentence.
 */
function describe(err: unknown): string {
  if (err instanceof GlanceError) {
    if (!err.say) return err.message;
    const params = Object.fromEntries(Object.entries(err.say.params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? formatNumber(v, 1) : v]));
    return t(err.say.key, params);
  }
  if (err instanceof Error) return t('errors.unexpected', { detail: err.message });
  return t('errors.unknown');
}

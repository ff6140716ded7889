import { Component, type ErrorInfo, type ReactNode } from 'react';
import { t } from '../i18n';

interface State {
  error: Error | null;
}

/** Catches a crash in the UI and says what to do instead of showing a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Glance crashed', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="crash">
        <h1>{t('crash.title')}</h1>
        <p role="alert">{t('crash.text', { message: this.state.error.message })}</p>
        <button type="button" className="btn primary" onClick={() => location.reload()}>
          {t('crash.reload')}
        </button>
      </main>
    );
  }
}

import { Component, type ErrorInfo, type ReactNode } from 'react';

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
        <h1>Something went wrong</h1>
        <p role="alert">
          Glance hit an unexpected problem: {this.state.error.message}. Reload the page to continue.
        </p>
        <button type="button" className="btn primary" onClick={() => location.reload()}>
          Reload
        </button>
      </main>
    );
  }
}

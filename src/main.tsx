import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { App } from './app/App';
import { i18n } from './i18n';
import { ErrorBoundary } from './app/ErrorBoundary';
import { parseForcedBackend } from './ml/backend';
import { startServiceWorker } from './pwa/updates';
import { startEngine } from './store/actions/engine';
import { bootProject } from './store/persistence/boot';
import { startDataChecks } from './store/actions/dataChecks';
import './app/app.css';

void startEngine({
  modelRoot: `${import.meta.env.BASE_URL}models/`,
  // Served from our own origin: the app never reaches a CDN.
  wasmPaths: {
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  },
  forced: parseForcedBackend(location.search),
});

void bootProject();
startDataChecks();
startServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <ErrorBoundary>
        <App />
      </ErrorBoundary>
    </I18nextProvider>
  </StrictMode>,
);

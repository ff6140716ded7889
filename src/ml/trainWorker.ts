/** Web Worker entry for `trainHeadInWorker`: trains the head with `trainHead`, off the main thread. */
import '@tensorflow/tfjs-backend-wasm';
import { configureWasm } from './backend';
import { serveTraining, type TrainingPort } from './trainInWorker';

serveTraining(self as unknown as TrainingPort, ({ backend, wasmPaths }) => {
  // Single-threaded: the head is one small dense layer, and a second thread pool would compete with the page's for
  // the same cores.
  if (backend === 'wasm') configureWasm(wasmPaths, { threads: false });
});

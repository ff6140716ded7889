/** Web Worker entry for `trainHeadInWorker`: trains the head with `trainHead`, off the main thread. */
import '@tensorflow/tfjs-backend-wasm';
import { configureWasm } from './backend';
import { serveTraining, type TrainingPort } from './trainInWorker';

serveTraining(self as unknown as TrainingPort, ({ backend, wasmPaths }) => {
  if (backend === 'wasm') configureWasm(wasmPaths);
});

/** Web Worker entry of the engine (`engineClient.ts`): the frozen bases run here, off the page's thread. */
import '@tensorflow/tfjs-backend-wasm';
import { expose } from 'comlink';
import { createEngineService } from './engineService';

// The base files reach this worker as its own structured-cloned copy, so it may let them go once loaded.
expose(createEngineService({ ownsFiles: true }));

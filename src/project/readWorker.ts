/// <reference lib="webworker" />
import { answerRead } from './readProject';

/** Reads one project file off the main thread (see readProjectOffThread). */
self.onmessage = (e: MessageEvent<{ bytes: Uint8Array; fileName: string }>) => {
  self.postMessage(answerRead(e.data.bytes, e.data.fileName));
};

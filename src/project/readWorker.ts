/// <reference lib="webworker" />
import { answerRead } from './readProject';
import { setLanguage, type Language } from '../i18n';

/** Reads one project file off the main thread (see readProjectOffThread). */
self.onmessage = (e: MessageEvent<{ bytes: Uint8Array; fileName: string; language: Language }>) => {
  setLanguage(e.data.language, false);
  self.postMessage(answerRead(e.data.bytes, e.data.fileName));
};

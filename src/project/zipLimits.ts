import { unzipSync, type Unzipped } from 'fflate';
import { GlanceError } from '../ml/errors';
import { t } from '../i18n';

/** Project files above this are refused before they are read. */
export const MAX_PROJECT_BYTES = 1024 * 1024 * 1024;
/** Never inflate more than this, whatever a zip claims (zip bombs). */
export const MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024;
export const MAX_ENTRIES = 200_000;
/** Real JPEG/JSON content compresses far less than this; a bomb compresses far more. */
const MAX_RATIO = 200;
/**
 * What a whole file may expand to: JPEGs are stored, not compressed, and embeddings or JSON shrink a few times at
 * most, so a real project expands to little more than its own size. Counting real compressed bytes (not a floor per
 * entry) keeps thousands of tiny entries from claiming gigabytes between them.
 */
const MAX_TOTAL_RATIO = 8;
const TOTAL_ALLOWANCE = 16 * 1024 * 1024;
/** Entries below this may compress as well as they like (a small JSON file of zeros, say). */
const SMALL_ENTRY = 64 * 1024;

/** A project or model file that cannot be opened; the message names the file's problem and what to do. */
export class ProjectFileError extends GlanceError {
  constructor(message: string, code: 'project-invalid' | 'project-too-large' = 'project-invalid') {
    super(code, message);
    this.name = 'ProjectFileError';
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Unzips `bytes` after checking what the zip's directory declares: entry count, total size and
 * compression ratio. `what` names the file in messages. Throws ProjectFileError; never returns partial data.
 */
export function safeUnzip(bytes: Uint8Array, what: string): Unzipped {
  if (bytes.length > MAX_PROJECT_BYTES) {
    throw new ProjectFileError(t('projectFile.tooLarge', { name: what }), 'project-too-large');
  }
  if (!isZip(bytes)) throw new ProjectFileError(t('projectFile.notZip', { name: what }));
  let total = 0;
  let entries = 0;
  let bomb = false;
  const budget = Math.min(MAX_UNZIPPED_BYTES, MAX_TOTAL_RATIO * bytes.length + TOTAL_ALLOWANCE);
  let files: Unzipped;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        entries++;
        total += f.originalSize;
        const squeezed = f.originalSize > SMALL_ENTRY && f.originalSize > MAX_RATIO * f.size;
        if (squeezed || total > budget || entries > MAX_ENTRIES) bomb = true;
        return !bomb;
      },
    });
  } catch {
    throw new ProjectFileError(t('projectFile.incomplete', { name: what }));
  }
  if (bomb) throw new ProjectFileError(t('projectFile.bomb', { name: what }), 'project-too-large');
  const actual = Object.values(files).reduce((n, f) => n + f.length, 0);
  if (actual > budget) throw new ProjectFileError(t('projectFile.expandsTooMuch', { name: what }), 'project-too-large');
  return files;
}

/** True for bytes that start and end like a complete JPEG. */
export function isCompleteJpeg(b: Uint8Array | undefined): b is Uint8Array {
  if (!b || b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return false;
  for (let i = b.length - 2; i >= Math.max(0, b.length - 1024); i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}

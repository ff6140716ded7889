/** Web Worker entry: encodes thumbnails as JPEG off the page's thread (see `encodeJpeg` in jpeg.ts). */
import { expose } from 'comlink';
import { encodeRgbaJpeg, type JpegService } from './jpeg';

expose({ encode: encodeRgbaJpeg } satisfies JpegService);

/**
 * `node scripts/icons.mjs`: draws the app icons into public/icons/ (the page's ◐ logo, white on the primary blue).
 * No image library: each pixel is computed here (4 × 4 samples for smooth edges) and written as a PNG with zlib.
 * The PNGs are committed; run this again only to change the drawing.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BLUE = [0x2f, 0x5b, 0xea];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** RGBA bytes (size × size × 4) → PNG file bytes. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * The colour at (x, y) in a 1 × 1 square, or null for transparent. `maskable` fills the whole square (the platform
 * cuts its own shape) and keeps the logo inside the central safe circle (radius 0.4); otherwise a rounded square.
 */
function shade(x, y, maskable) {
  if (!maskable) {
    const r = 0.18;
    const cx = Math.min(Math.max(x, r), 1 - r);
    const cy = Math.min(Math.max(y, r), 1 - r);
    if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  }
  const outer = maskable ? 0.3 : 0.36;
  const ring = outer * 0.16;
  const d = Math.hypot(x - 0.5, y - 0.5);
  if (d > outer) return BLUE;
  if (d > outer - ring) return WHITE;
  return x < 0.5 ? WHITE : BLUE; // ◐: the left half filled
}

function draw(size, maskable) {
  const rgba = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, maskable);
          if (!c) continue;
          for (let i = 0; i < 3; i++) sum[i] += c[i];
          sum[3] += 1;
        }
      }
      const o = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) rgba[o + i] = sum[3] ? Math.round(sum[i] / sum[3]) : 0;
      rgba[o + 3] = Math.round((255 * sum[3]) / (n * n));
    }
  }
  return encodePng(size, rgba);
}

fs.mkdirSync(outDir, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true],
]) {
  fs.writeFileSync(path.join(outDir, name), draw(size, maskable));
  console.log(`public/icons/${name}`);
}

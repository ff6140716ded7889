import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { classCard, expectExampleCount, openApp, uploadImages } from './glance';
import { rpsImages } from './paths';

/** An APP1 Exif segment holding only Orientation = 6 ("rotate 90° clockwise to display"). */
function exifOrientation6(): Buffer {
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, first IFD at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, // Orientation, SHORT, 1, value 6
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return Buffer.concat([Buffer.from([0xff, 0xe1]), length, payload]);
}

/** Writes the bad and the awkward-but-good files into `dir`; returns their paths by role. */
function makeFiles(dir: string): { bad: string[]; awkward: string[] } {
  fs.mkdirSync(dir, { recursive: true });
  const source = rpsImages('train', 'scissors', 1)[0];
  const notes = path.join(dir, 'notes.jpg');
  fs.writeFileSync(notes, 'Shopping list:\n- milk\n- bread\nThis is text, not a JPEG.\n');
  const empty = path.join(dir, 'empty.png');
  fs.writeFileSync(empty, '');
  const truncated = path.join(dir, 'truncated.jpg');
  const bytes = fs.readFileSync(source);
  fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.4)));

  const big = path.join(dir, 'big.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=6000x4000:rate=1',
    '-frames:v', '1', '-q:v', '8', big]);
  // A landscape 320×240 JPEG that EXIF says to show rotated to portrait, as phones save them.
  const landscape = path.join(dir, 'landscape.jpg');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', source, '-vf', 'pad=320:240:48:8', '-frames:v', '1', landscape]);
  const rotated = path.join(dir, 'rotated-exif.jpg');
  const plain = fs.readFileSync(landscape);
  fs.writeFileSync(rotated, Buffer.concat([plain.subarray(0, 2), exifOrientation6(), plain.subarray(2)]));
  fs.rmSync(landscape);
  return { bad: [notes, empty, truncated], awkward: [big, rotated] };
}

test('bad files are refused one alert each, naming the file; the good files of the same upload are kept', async ({ page }, testInfo) => {
  const { bad, awkward } = makeFiles(testInfo.outputPath('files'));
  const good = rpsImages('train', 'rock', 3);
  await openApp(page, 'wasm');
  const card = classCard(page, 'Class 1');

  // Interleaved, so a refusal in the middle cannot drop what comes after it.
  await uploadImages(card, [good[0], bad[0], awkward[0], good[1], bad[1], awkward[1], bad[2], good[2]]);
  const kept = good.length + awkward.length;
  await expectExampleCount(card, kept, 60_000);
  for (const file of bad) {
    await expect(page.getByRole('alert').filter({ hasText: path.basename(file) }), `one alert for ${path.basename(file)}`).toHaveCount(1);
  }
  await expect(page.getByRole('alert')).toHaveCount(bad.length);
  for (const file of [...good, ...awkward]) {
    await expect(page.getByRole('alert').filter({ hasText: path.basename(file) })).toHaveCount(0);
  }
  await expect(card.getByRole('img', { name: /^Example \d+$/ })).toHaveCount(kept);
  await expectExampleCount(classCard(page, 'Class 2'), 0);

  // The same bad file again is a new alert; the count is untouched and good uploads still work.
  await uploadImages(card, [bad[0]]);
  await expect(page.getByRole('alert').filter({ hasText: 'notes.jpg' })).toHaveCount(2);
  await uploadImages(card, rpsImages('train', 'rock', 4).slice(-1));
  await expectExampleCount(card, kept + 1);
  await expect(page.getByRole('alert')).toHaveCount(bad.length + 1);
});

test.describe('a German browser whose page cannot decode images itself', () => {
  test.use({ locale: 'de-DE' });

  test('uploads are decoded, cropped and thumbnailed in the image worker, and its refusals are worded in German', async ({ page }, testInfo) => {
    // The page's own decoder is broken: only the image worker (which has its own) can make these examples.
    await page.addInitScript(() => {
      window.createImageBitmap = () => Promise.reject(new DOMException('decoding is off in this page', 'InvalidStateError'));
    });
    const notes = path.join(testInfo.outputPath('files'), 'notizen.jpg');
    fs.mkdirSync(path.dirname(notes), { recursive: true });
    fs.writeFileSync(notes, 'Einkaufsliste: Milch, Brot. Das ist Text, kein JPEG.\n');
    await page.goto('/?backend=wasm');
    const card = page.getByRole('region', { name: 'Klasse 1', exact: true });
    await card.getByLabel('Bilder hochladen', { exact: true }).setInputFiles([...rpsImages('train', 'rock', 3), notes]);
    await expect(card.getByText('3 Beispiele', { exact: true })).toBeVisible({ timeout: 60_000 });
    const thumbs = card.getByRole('img', { name: /^Beispiel \d+$/ });
    await expect(thumbs).toHaveCount(3);
    // The thumbnails are real JPEGs the browser can show (made in the worker), not broken images.
    await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth))).toEqual([224, 224, 224]);
    const alert = page.getByRole('alert').filter({ hasText: 'notizen.jpg' });
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText('wurde nicht hinzugefügt');
    await expect(alert).toContainText('kein Bild, das dieser Browser lesen kann');
  });
});

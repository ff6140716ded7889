/**
 * `npx tsx scripts/measure/growth.ts [classes] [perClass] [--skip-build] [--profile=DIR]`: only the bench's growth stage (does adding
 * examples through the page slow down as the project grows?), default 20 × 250 on the committed fixtures or, with
 * ../shared beside the repository, the rps-webcam images. Prints the result as JSON; asserts nothing.
 */
import fs from 'node:fs';
import { uploadGrowth } from '../bench/growth';
import { build, dataRoot, launch, startPreview } from '../bench/setup';

const [classes = 20, perClass = 250] = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
const data = fs.existsSync(dataRoot('rps-webcam')) ? 'rps-webcam' : 'fixtures';
const profileDir = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
const log = (msg: string) => console.log(`[growth] ${msg}`);

if (!process.argv.includes('--skip-build')) build();
const server = await startPreview();
const { browser, context } = await launch();
try {
  const result = await uploadGrowth(context, classes, perClass, data, 1000, log, profileDir);
  console.log(JSON.stringify({ data, ...result, countsAtMs: result.countsAtMs.map(Math.round) }, null, 2));
} finally {
  await browser.close();
  server.kill();
}

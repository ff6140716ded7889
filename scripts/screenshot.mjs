// Makes docs/screenshot.png for the README from rps-cgi images ("Rock Paper Scissors dataset by Laurence
// Moroney, CC BY 2.0"). Usage: npx vite build && node scripts/screenshot.mjs
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cgi = path.resolve(root, '../shared/datasets/rps-cgi');
const port = 4191;
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { cwd: root, stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
  await page.goto(`http://localhost:${port}/?backend=wasm`);
  await page.getByText(/^Backend: /).waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Add a class', exact: true }).click();
  for (const [i, cls] of ['rock', 'paper', 'scissors'].entries()) {
    const card = page.getByRole('region', { name: `Class ${i + 1}`, exact: true });
    await card.getByRole('textbox', { name: 'Class name', exact: true }).fill(cls);
    await card.getByRole('textbox', { name: 'Class name', exact: true }).press('Enter');
    const dir = path.join(cgi, 'train', cls);
    const files = fs.readdirSync(dir).sort().filter((_, j) => j % 7 === 0).map((f) => path.join(dir, f));
    await page.getByRole('region', { name: cls, exact: true }).getByLabel('Upload images', { exact: true }).setInputFiles(files);
    await page.getByRole('region', { name: cls, exact: true }).getByText('20 examples', { exact: true }).waitFor({ timeout: 60_000 });
  }
  await page.getByRole('button', { name: 'Train model', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Model trained' }).waitFor({ timeout: 120_000 });
  const test = path.join(cgi, 'test', 'scissors', fs.readdirSync(path.join(cgi, 'test', 'scissors')).sort()[5]);
  await page.getByLabel('Test an image', { exact: true }).setInputFiles(test);
  await page.getByRole('img', { name: path.basename(test), exact: true }).waitFor();
  await page.screenshot({ path: path.join(root, 'docs/screenshot.png') });
  console.log('wrote docs/screenshot.png');
} finally {
  await browser.close();
  try {
    process.kill(-server.pid);
  } catch {
    server.kill();
  }
}

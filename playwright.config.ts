import { defineConfig } from '@playwright/test';
import { fakeCameraPath } from './e2e/paths';

// E2E_PORT lets a second checkout run its own suite beside this one.
const port = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://localhost:${port}`;

/**
 * End-to-end tests drive the built app (`vite build`, then `vite preview`) in Debian's Chromium: real WebGL on
 * SwiftShader, real WASM, a fake webcam playing the committed rps-cgi frames (e2e/fakeCamera.ts), no network beyond
 * the app's own origin.
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  // One worker: 2 cores, and TF.js keeps one busy by itself.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // The model, uploads and training on SwiftShader are slow; specs that do the whole flow raise this themselves.
  timeout: 4 * 60_000,
  // A guard against a hung run, not the budget: the suite is meant to take well under 15 minutes.
  globalTimeout: 20 * 60_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['./e2e/summary-reporter.ts']],
  use: {
    baseURL,
    // The suite reads the English UI; e2e/i18n.spec.ts opens its own contexts in other locales.
    locale: 'en-US',
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    permissions: ['camera'],
    // Requests a service worker answered would bypass the offline guard in e2e/fixtures.ts.
    serviceWorkers: 'block',
    acceptDownloads: true,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'off',
    video: 'off',
    launchOptions: {
      // Playwright's own browser download cannot work here: Debian's chromium package is the browser.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        // WebGL2 through ANGLE on SwiftShader (CPU Vulkan): tf.getBackend() === 'webgl' headless, no GPU.
        '--use-gl=angle',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${fakeCameraPath}`,
        '--autoplay-policy=no-user-gesture-required',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

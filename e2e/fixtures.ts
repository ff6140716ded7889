import { test as base, expect } from '@playwright/test';

export { expect };

interface GlanceFixtures {
  /**
   * Every URL the page tried to reach outside the app's own origin during the test. Each was aborted before it left
   * the browser; the fixture fails the test if the list is not empty at the end.
   */
  offOrigin: string[];
  /**
   * Every uncaught exception and unhandled promise rejection in any page of the test's context (Playwright's
   * `weberror`, the context-wide `pageerror`). The fixture fails the test if the list is not empty at the end.
   */
  pageErrors: string[];
}

/**
 * `test` for every Glance spec: the app must work offline, so any request that leaves the origin is aborted and
 * recorded; and the page must never throw uncaught, so every uncaught error or unhandled rejection fails the test.
 */
export const test = base.extend<GlanceFixtures>({
  offOrigin: [
    async ({ context, baseURL }, provide) => {
      const origin = new URL(baseURL ?? 'http://localhost:4173').origin;
      const attempted: string[] = [];
      const stays = (url: string): boolean => {
        const parsed = new URL(url);
        // data: and blob: URLs are made inside the page and never touch the network.
        return parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.origin === origin;
      };
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (stays(url)) return route.continue();
        attempted.push(url);
        return route.abort('blockedbyclient');
      });
      await context.routeWebSocket(() => true, (ws) => {
        if (stays(ws.url())) {
          ws.connectToServer();
        } else {
          attempted.push(ws.url());
          void ws.close();
        }
      });
      await provide(attempted);
      expect(attempted, 'requests that tried to leave the app origin').toEqual([]);
    },
    { auto: true },
  ],
  pageErrors: [
    async ({ context }, provide) => {
      const errors: string[] = [];
      context.on('weberror', (webError) => {
        const error = webError.error();
        const where = webError.page()?.url() ?? 'a page';
        console.log(`[page error in ${where}] ${error.stack ?? error.message}`);
        errors.push(`${error.name}: ${error.message} (${where})`);
      });
      await provide(errors);
      expect(errors, 'uncaught errors and unhandled rejections in the page').toEqual([]);
    },
    { auto: true },
  ],
});

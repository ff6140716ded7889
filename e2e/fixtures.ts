import { test as base, expect } from '@playwright/test';

export { expect };

interface GlanceFixtures {
  /**
   * Every URL the page tried to reach outside the app's own origin during the test. Each was aborted before it left
   * the browser; the fixture fails the test if the list is not empty at the end.
   */
  offOrigin: string[];
}

/**
 * `test` for every Glance spec: the app must work offline, so any request that leaves the origin is aborted and
 * recorded, and page errors are printed so a failing run says what broke in the page.
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
      context.on('weberror', (error) => console.log(`[page error] ${error.error().stack ?? error.error().message}`));
      await provide(attempted);
      expect(attempted, 'requests that tried to leave the app origin').toEqual([]);
    },
    { auto: true },
  ],
});

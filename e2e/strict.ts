import { test as glance, expect } from './fixtures';

export { expect };

/**
 * `test` that also fails when the page throws an uncaught error or rejects a promise nobody handled, with what
 * was thrown in the failure message. The accessibility, undo and phone specs use it.
 */
export const test = glance.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, provide) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
      await provide(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

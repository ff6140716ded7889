import { expect, test } from './fixtures';

// The fixture that fails every test on a page error (e2e/fixtures.ts) only helps if it sees the errors: this test
// throws both kinds in a page, checks they were recorded, then empties the list so its own teardown passes.
test('the pageErrors fixture records uncaught errors and unhandled rejections', async ({ page, pageErrors }) => {
  await page.goto('/');
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error('thrown on purpose');
    });
    void Promise.reject(new Error('rejected on purpose'));
  });
  await expect.poll(() => pageErrors.length).toBe(2);
  expect(pageErrors.join('\n')).toContain('thrown on purpose');
  expect(pageErrors.join('\n')).toContain('rejected on purpose');
  pageErrors.length = 0;
});

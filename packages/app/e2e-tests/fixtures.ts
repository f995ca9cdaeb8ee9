import { test as base, expect, Page } from '@playwright/test';

/**
 * Every browser test leaves a screenshot of what the user saw at its end in
 * test-results/screenshots/, whether it passed or not.
 */
export const test = base.extend<{ screenshotAtEnd: void }>({
  screenshotAtEnd: [
    async ({ page }, use, testInfo) => {
      await use();
      const name = testInfo.titlePath
        .slice(1)
        .join(' - ')
        .replace(/[^a-zA-Z0-9 _-]+/g, '')
        .replace(/\s+/g, '-')
        .toLowerCase();
      // Relative to the repository root, where scripts/test runs Playwright.
      await page.screenshot({
        path: `test-results/screenshots/${name}.png`,
        fullPage: true,
      });
    },
    { auto: true },
  ],
});

export { expect };

/** Signs in through the guest provider, as a local user does. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
}

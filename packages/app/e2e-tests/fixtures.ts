import { test as base, expect, Page } from '@playwright/test';
import path from 'path';

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
      await page.screenshot({
        path: path.join(
          __dirname,
          '../../../test-results/screenshots',
          `${name}.png`,
        ),
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

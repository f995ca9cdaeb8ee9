import { test, expect, signInAsGuest } from './fixtures';

test.describe('portal', () => {
  test('guest sign-in shows the catalog with the portal’s own entities', async ({
    page,
  }) => {
    await signInAsGuest(page);

    // The catalog is the landing page; its table lists Components by default.
    const portal = page.getByRole('link', { name: 'Portal', exact: true });
    await expect(portal).toBeVisible();

    // The Component's page links the System from catalog-info.yaml.
    await portal.click();
    await expect(
      page.getByRole('heading', { name: 'Portal' }).first(),
    ).toBeVisible();
    await page
      .getByRole('link', { name: 'AWS Environments Portal' })
      .first()
      .click();
    await expect(
      page.getByText('The reference Backstage portal that provisions').first(),
    ).toBeVisible();
  });

  test('the sidebar offers the catalog, APIs and templates', async ({
    page,
  }) => {
    await signInAsGuest(page);
    const nav = page.getByRole('navigation', { name: 'sidebar nav' });
    await expect(
      nav.getByRole('link', { name: 'Catalog', exact: true }),
    ).toBeVisible();
    await expect(
      nav.getByRole('link', { name: 'APIs', exact: true }),
    ).toBeVisible();
    await expect(
      nav.getByRole('link', { name: 'Create', exact: true }),
    ).toBeVisible();
  });

  test('search finds the portal’s own component', async ({ page }) => {
    await signInAsGuest(page);
    // The search backend indexes the catalog a few seconds after start and
    // then every 20 s (scripts/test), so the page is asked again until the
    // result shows.
    const result = page.getByText(
      'The Backstage app and backend that serve this portal.',
    );
    await expect(async () => {
      await page.goto('/search?query=portal');
      await expect(result.first()).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 90_000 });
  });
});

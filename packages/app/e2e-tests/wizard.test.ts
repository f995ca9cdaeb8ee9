import { test, expect, signInAsGuest } from './fixtures';

/*
 * A platform engineer walks the template wizard as a user does, and the
 * task log shows the provisioning through to success.
 */
test.describe('template wizard', () => {
  test('provisions a new service’s test environment with live progress', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await signInAsGuest(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Create', exact: true })
      .click();

    const card = page
      .getByRole('article')
      .filter({ hasText: 'AWS service with environments' });
    await card.getByRole('button', { name: 'Choose' }).click();

    // Service
    await page.getByLabel('Project name').fill('wizard-app');
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('devops');
    await page.getByRole('option', { name: /devops-team/ }).click();
    await page.getByLabel('Description').fill('Made by the browser test');
    await page.getByRole('button', { name: 'Next' }).click();

    // Environments: test is preselected; its CIDR and policy are shown.
    await expect(
      page.getByText('test — 10.3.0.0/16 — manual promotion'),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();

    // Container: the defaults (the seed's image, 1 to 10 tasks).
    await expect(page.getByLabel('Image')).toHaveValue(/python/);
    await page.getByRole('button', { name: 'Next' }).click();

    // Secret: typed, never shown back.
    await page.getByLabel('App secret').fill('wizard-canary-3f9a1c');
    await page.getByRole('button', { name: 'Next' }).click();

    // The template's last step, then the scaffolder's own review.
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByText('wizard-app').first()).toBeVisible();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task page streams the log; the action reports resource progress.
    await expect(page.getByText(/resource \d+ of \d+/).first()).toBeVisible({
      timeout: 120_000,
    });
    await expect(
      page.getByText('wizard-app-test CREATE_COMPLETE').first(),
    ).toBeVisible({ timeout: 180_000 });
    const html = await page.content();
    expect(html).not.toContain('wizard-canary-3f9a1c');
  });
});

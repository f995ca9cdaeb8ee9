import { expect, Page, test } from '@playwright/test';

/*
 * Runs against the brand-new Backstage app of scripts/install-test, into
 * which our packages were installed from their tarballs as the READMEs say,
 * after the script provisioned `install-check` into test and qa through
 * the shipped template. Screenshots go where our own browser tests put
 * theirs, named install-*.
 */
const PROJECT = 'install-check';
const PROVISIONED = ['test', 'qa'];
const screenshot = (page: Page, name: string) =>
  page.screenshot({
    path: `test-results/screenshots/install-${name}.png`,
    fullPage: true,
  });

async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  // The session is kept once the app shell shows; only then may a test
  // navigate with a full page load.
  await expect(
    page.getByRole('navigation').getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}

test('the Environments tab of a provisioned service, in an app that is not ours', async ({
  page,
}) => {
  await signInAsGuest(page);
  // The catalog module finds the new stacks on its schedule.
  await expect(async () => {
    await page.goto(`/catalog/default/component/${PROJECT}/environments`);
    await expect(page.getByTestId('overview-test')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 90_000 });

  for (const env of PROVISIONED) {
    await expect(page.getByTestId(`tasks-${env}`)).toContainText('running');
    // Details open on demand, here through the URL as a link would.
    await page.goto(
      `/catalog/default/component/${PROJECT}/environments?environment=${env}`,
    );
    const section = page.getByTestId(`environment-${env}`);
    await expect(section.getByText('RUNNING').first()).toBeVisible();
    await expect(
      section.getByText(`/${PROJECT}/${env}/app-secret`),
    ).toBeVisible();
    await expect(section.locator('.recharts-line path').first()).toBeVisible();
  }
  await screenshot(page, 'environments-tab');
});

test('the status page lists the service along the promotion path', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/aws-environments');
  const row = page.getByRole('row', { name: new RegExp(PROJECT) });
  await expect(row).toBeVisible({ timeout: 60_000 });
  for (const env of PROVISIONED) {
    await expect(row.getByTestId(`cell-${env}`)).toContainText('3.12-slim');
  }
  // The sidebar item comes from the plugin's page extension.
  await expect(
    page
      .getByTestId('sidebar-root')
      .getByRole('link', { name: 'Environments' }),
  ).toBeVisible();
  await screenshot(page, 'status-page');
});

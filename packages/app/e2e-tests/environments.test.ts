import { Page } from '@playwright/test';
import { test, expect, signInAsGuest } from './fixtures';
import { advanceClock, clearFault, injectFault, secretValue } from './sandbox';

const ENVIRONMENTS = ['test', 'qa', 'staging', 'prod'];

/**
 * The catalog module finds the demo project's stacks on its schedule, so
 * the entity may need a few reloads to appear after provisioning.
 */
async function openEnvironmentsTab(page: Page) {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto('/catalog/default/component/devops-app/environments');
    await expect(page.getByTestId('environment-prod')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 90_000 });
}

test.describe('Environments tab', () => {
  test('shows the four environments with running tasks, parameters without values, and charts', async ({
    page,
  }) => {
    await openEnvironmentsTab(page);

    const sections = page.getByTestId(/^environment-/);
    await expect(sections).toHaveCount(4);
    for (const env of ENVIRONMENTS) {
      const section = page.getByTestId(`environment-${env}`);
      await expect(section.getByText('RUNNING').first()).toBeVisible();
      await expect(
        section.getByText(`/devops-app/${env}/app-secret`),
      ).toBeVisible();
      await expect(section.getByText('SecureString')).toBeVisible();
      // Charts are drawn: recharts renders one path per series.
      await expect(
        section.locator('.recharts-line path').first(),
      ).toBeVisible();
    }

    // The secret values are in the sandbox but nowhere on the page.
    const html = await page.content();
    for (const env of ENVIRONMENTS) {
      const value = await secretValue(`/devops-app/${env}/app-secret`);
      expect(value.length).toBeGreaterThan(8);
      expect(html).not.toContain(value);
    }
  });

  test('a crash loop in prod shows there while the other environments stay healthy', async ({
    page,
  }) => {
    const fault = await injectFault({
      type: 'crashloop',
      // prod: the promotion test after this one needs test, qa and staging
      // healthy, and a crash loop's stopped tasks count for 15 minutes.
      cluster: 'devops-app-prod-ecs-cluster',
      service: 'devops-app-prod-service',
    });
    try {
      // Let the sandbox's simulated tasks start and die a few times.
      await advanceClock(300);
      await openEnvironmentsTab(page);
      const prod = page.getByTestId('environment-prod');
      await expect(async () => {
        await page.getByRole('button', { name: /refresh/i }).click();
        await expect(prod.getByTestId('finding-crash-looping')).toBeVisible({
          timeout: 5_000,
        });
      }).toPass({ timeout: 60_000 });
      await expect(
        prod.getByText('Essential container in task exited').first(),
      ).toBeVisible();
      for (const env of ['test', 'qa', 'staging']) {
        await expect(
          page.getByTestId(`environment-${env}`).getByTestId('health-healthy'),
        ).toBeVisible();
      }
    } finally {
      await clearFault(fault);
    }
  });
});

test.describe('Environment status page', () => {
  test('shows the demo project across its four environments', async ({
    page,
  }) => {
    await signInAsGuest(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Environments' })
      .click();
    await expect(page).toHaveURL(/\/aws-environments/);
    const row = page.getByRole('row', { name: /devops-app/ });
    await expect(async () => {
      await page.reload();
      await expect(row.getByTestId('cell-prod')).toBeVisible({
        timeout: 5_000,
      });
    }).toPass({ timeout: 90_000 });
    for (const env of ENVIRONMENTS) {
      await expect(row.getByTestId(`cell-${env}`)).toContainText('3.12-slim');
    }
  });
});

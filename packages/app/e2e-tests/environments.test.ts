import { Page } from '@playwright/test';
import { test, expect, signInAsGuest } from './fixtures';
import {
  advanceClock,
  clearFault,
  injectFault,
  secretValue,
  setDesiredCount,
} from './sandbox';

const ENVIRONMENTS = ['test', 'qa', 'staging', 'prod'];
/** An environment's details section (not its drift card inside). */
const SECTION = /^environment-(test|qa|staging|prod)$/;
const TITLES: Record<string, string> = {
  test: 'Test',
  qa: 'QA',
  staging: 'Staging',
  prod: 'Production',
};

/**
 * The catalog module finds the demo project's stacks on its schedule, so
 * the entity may need a few reloads to appear after provisioning.
 */
async function openEnvironmentsTab(page: Page, query = '') {
  await signInAsGuest(page);
  await expect(async () => {
    await page.goto(
      `/catalog/default/component/devops-app/environments${query}`,
    );
    await expect(page.getByTestId('overview-prod')).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 90_000 });
}

// The crash-loop test below moves the sandbox's clock 5 minutes ahead; the
// clock goes on from there at wall-time pace, so the order of these tests
// does not matter.
test.describe('Drift on the Environments tab', () => {
  test('a desired count changed in the console shows as drift after Check now', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const cluster = 'devops-app-test-ecs-cluster';
    const service = 'devops-app-test-service';
    await setDesiredCount(cluster, service, 3);
    try {
      await page.setViewportSize({ width: 1500, height: 1000 });
      await openEnvironmentsTab(page, '?environment=test');
      const drift = page.getByTestId('environment-drift-test');
      await expect(drift).toBeVisible({ timeout: 30_000 });
      await drift.getByRole('button', { name: 'Check now' }).click();
      // CloudFormation's detection runs in the background; the card polls.
      await expect(drift).toContainText(/Drifted: 1 resource/, {
        timeout: 180_000,
      });
      await expect(drift).toContainText('/DesiredCount');
      // The overview card says so too, from the stored check.
      await page.reload();
      await expect(page.getByTestId('drift-test')).toContainText(
        'Drifted: 1 resource',
      );
      await drift.scrollIntoViewIfNeeded();
      await page.screenshot({
        path: 'test-results/screenshots/environments-tab-drift.png',
      });
    } finally {
      // Back to what the stack says; later tests promote into test.
      await setDesiredCount(cluster, service, 2);
    }
  });
});

test.describe('Environments tab', () => {
  test('opens with the four environments side by side on one screen, and shows one environment’s tasks, parameters without values, charts and logs on demand', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1500, height: 1000 });
    await openEnvironmentsTab(page);

    const cards = page.getByTestId(/^overview-/);
    await expect(cards).toHaveCount(4);
    for (const env of ENVIRONMENTS) {
      const card = page.getByTestId(`overview-${env}`);
      await expect(card.getByTestId(`image-${env}`)).toContainText('3.12-slim');
      await expect(card.getByTestId(`tasks-${env}`)).toContainText('running');
      // Along the promotion path, all on the first screen.
      const box = await card.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.y + box!.height).toBeLessThanOrEqual(1000);
      expect(box!.x + box!.width).toBeLessThanOrEqual(1500);
    }
    // Details are read only when a person opens an environment.
    await expect(page.getByTestId(SECTION)).toHaveCount(0);
    await page.screenshot({
      path: 'test-results/screenshots/environments-tab-overview.png',
    });

    const html: string[] = [];
    for (const env of ENVIRONMENTS) {
      await page
        .getByRole('button', { name: `Show details of ${TITLES[env]}` })
        .click();
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
      await expect(page.getByTestId(SECTION)).toHaveCount(1);
      if (env === 'qa') {
        // What qa costs as its stack is configured, from the price list.
        await expect(page.getByTestId('cost-qa')).toContainText(
          /\$[\d,]+\.\d\d.*An estimate from on-demand list prices/,
        );
        await expect(section.getByTestId('logs')).toHaveCount(0);
        await section.getByText('Recent logs').click();
        await expect(section.getByTestId('logs')).toBeVisible();
      }
      html.push(await page.content());
    }

    // The secret values are in the sandbox but nowhere on the page.
    for (const env of ENVIRONMENTS) {
      const value = await secretValue(`/devops-app/${env}/app-secret`);
      expect(value.length).toBeGreaterThan(8);
      for (const content of html) expect(content).not.toContain(value);
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
      await openEnvironmentsTab(page, '?environment=prod');
      // The overview comes from the snapshots, read every few seconds while
      // the tab is open (5 s in the test portal).
      const card = page.getByTestId('overview-prod');
      const prod = page.getByTestId('environment-prod');
      await expect(async () => {
        await page.getByRole('button', { name: /refresh/i }).click();
        await expect(card.getByTestId('health-unhealthy')).toBeVisible({
          timeout: 5_000,
        });
        await expect(prod.getByTestId('finding-crash-looping')).toBeVisible({
          timeout: 5_000,
        });
      }).toPass({ timeout: 60_000 });
      await expect(
        prod.getByText('Essential container in task exited').first(),
      ).toBeVisible();
      for (const env of ['test', 'qa', 'staging']) {
        await expect(
          page.getByTestId(`overview-${env}`).getByTestId('health-healthy'),
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

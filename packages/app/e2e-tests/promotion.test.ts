import {
  APIRequestContext,
  Browser,
  request as playwrightRequest,
} from '@playwright/test';
import { test, expect, signInAsGuest } from './fixtures';
import { clearFault, injectFault, raiseAlarm } from './sandbox';

/*
 * One promotion through the UI, reviewed by a second user: the guest asks
 * to promote test's image into qa from the status page, the reviewer (signed
 * in through the oauth2Proxy provider that scripts/test enables) approves
 * it on the same page in their own browser, qa ends up running the new image
 * in the sandbox, and the auto step opens a staging request waiting for
 * review.
 */
const backendUrl = 'http://localhost:7007';
const NEW_IMAGE = 'public.ecr.aws/docker/library/python:3.13-slim';

async function tokenFor(api: APIRequestContext, user: 'guest' | 'reviewer') {
  const res =
    user === 'guest'
      ? await api.get(`${backendUrl}/api/auth/guest/refresh`)
      : await api.get(`${backendUrl}/api/auth/oauth2Proxy/refresh`, {
          headers: { 'x-forwarded-user': 'reviewer' },
        });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).backstageIdentity.token as string;
}

/**
 * A second browser signed in as the reviewer. The app offers only guest
 * sign-in, so its guest session refresh is answered with the reviewer's
 * session from the oauth2Proxy provider; from then on the app sends the
 * reviewer's token like any signed-in user's.
 */
async function signInAsReviewer(browser: Browser, api: APIRequestContext) {
  const context = await browser.newContext();
  await context.route('**/api/auth/guest/refresh**', async route => {
    const session = await api.get(
      `${backendUrl}/api/auth/oauth2Proxy/refresh`,
      {
        headers: { 'x-forwarded-user': 'reviewer' },
      },
    );
    await route.fulfill({
      status: session.status(),
      contentType: 'application/json',
      headers: {
        'access-control-allow-origin': new URL(
          process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
        ).origin,
        'access-control-allow-credentials': 'true',
      },
      body: await session.body(),
    });
  });
  const page = await context.newPage();
  await signInAsGuest(page);
  return page;
}

/** Re-runs the wizard's action for test only, with a new image: an update in place. */
async function redeployTest(api: APIRequestContext, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const created = await api.post(`${backendUrl}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/aws-service-environments',
      values: {
        project: 'devops-app',
        owner: 'group:default/devops-team',
        environments: ['test'],
        image: NEW_IMAGE,
        desiredCount: 2,
        minCapacity: 1,
        maxCapacity: 10,
        loadBalancer: false,
      },
    },
  });
  expect(created.ok()).toBeTruthy();
  const { id } = await created.json();
  await expect
    .poll(
      async () =>
        (
          await (
            await api.get(`${backendUrl}/api/scaffolder/v2/tasks/${id}`, {
              headers,
            })
          ).json()
        ).status,
      // CloudFormation waits for the service's new tasks to run and
      // settle (about 45 s in the sandbox).
      { timeout: 180_000, intervals: [1000] },
    )
    .toBe('completed');
}

test.describe('promotion', () => {
  test('test → qa: requested in the UI, approved by another user, lands in qa; the auto step asks for staging', async ({
    page,
    browser,
  }) => {
    test.setTimeout(600_000);
    const api = await playwrightRequest.newContext();
    const guest = await tokenFor(api, 'guest');
    const reviewer = await tokenFor(api, 'reviewer');
    await redeployTest(api, guest);

    await signInAsGuest(page);
    await page.goto('/aws-environments');
    const row = page.getByRole('row', { name: /devops-app/ });
    const testCell = row.getByTestId('cell-test');
    await expect(async () => {
      await page.reload();
      await expect(testCell).toContainText('3.13-slim', { timeout: 5_000 });
    }).toPass({ timeout: 90_000 });

    await testCell.getByRole('button', { name: /Promote to QA/ }).click();
    const pending = row.getByTestId('pending-qa');
    await expect(pending).toContainText('pending review: 3.13-slim from test');
    // The requester cannot approve their own request.
    await expect(
      row.getByTestId('cell-qa').getByRole('button', { name: 'Approve' }),
    ).toBeDisabled();

    // The reviewer opens the same page and approves.
    const reviewerPage = await signInAsReviewer(browser, api);
    await reviewerPage.goto('/aws-environments');
    const reviewerQa = reviewerPage
      .getByRole('row', { name: /devops-app/ })
      .getByTestId('cell-qa');
    await expect(reviewerQa).toContainText('pending review: 3.13-slim');
    const approve = reviewerQa.getByRole('button', { name: 'Approve' });
    await expect(approve).toBeEnabled();
    await approve.click();
    await expect(reviewerQa).not.toContainText('pending review', {
      timeout: 30_000,
    });
    await reviewerPage.screenshot({
      path: 'test-results/screenshots/promotion---the-reviewer-approved-qa.png',
      fullPage: true,
    });
    await reviewerPage.context().close();

    await expect(async () => {
      await page.reload();
      await expect(row.getByTestId('cell-qa')).toContainText('3.13-slim', {
        timeout: 5_000,
      });
    }).toPass({ timeout: 180_000 });

    // staging is "auto, review": its request opens by itself once qa is healthy.
    await expect(async () => {
      await page.reload();
      await expect(row.getByTestId('pending-staging')).toContainText(
        'pending review: 3.13-slim from qa',
        { timeout: 5_000 },
      );
    }).toPass({ timeout: 120_000 });

    // staging's gate counts while the request waits for review.
    await expect(row.getByTestId('gate-staging')).toContainText(
      /verifying, [01] of 1 min/,
    );

    // The prod gate: staging must soak 30 minutes with no project alarm in
    // ALARM there; an alarm holds it and the page says why.
    await row
      .getByTestId('cell-staging')
      .getByRole('button', { name: /Promote to Production/ })
      .click();
    const gate = row.getByTestId('gate-prod');
    await expect(async () => {
      await page.reload();
      await expect(gate).toContainText(/verifying, \d+ of 30 min/, {
        timeout: 5_000,
      });
    }).toPass({ timeout: 60_000 });
    // Once the soak counts, an alarm starts it over.
    await expect
      .poll(
        async () => {
          const items = (
            await (
              await api.get(
                `${backendUrl}/api/aws-environments/promotions?entityRef=component:default/devops-app&status=pending_review`,
                { headers: { Authorization: `Bearer ${guest}` } },
              )
            ).json()
          ).items;
          return items.find((p: any) => p.to === 'prod')?.gate?.verifyingSince;
        },
        { timeout: 60_000, intervals: [1000] },
      )
      .toBeTruthy();
    const clearAlarm = await raiseAlarm('devops-app-staging-5xx');
    try {
      await expect(async () => {
        await page.reload();
        await expect(gate).toContainText(
          'verification held: alarm devops-app-staging-5xx in ALARM in staging',
          { timeout: 5_000 },
        );
      }).toPass({ timeout: 60_000 });
      await page.screenshot({
        path: 'test-results/screenshots/promotion---prod-gate-held-by-an-alarm.png',
        fullPage: true,
      });
      // The history says the soak started over, and why.
      await row.getByTestId('pending-prod').click();
      await expect(
        page
          .getByRole('dialog')
          .getByText(/Verification starts over: alarm devops-app-staging-5xx/),
      ).toBeVisible();
      await page.keyboard.press('Escape');
    } finally {
      await clearAlarm();
    }
    // The requester withdraws it; nothing reaches prod.
    await row
      .getByTestId('cell-prod')
      .getByRole('button', { name: 'Reject' })
      .click();
    await expect(row.getByTestId('pending-prod')).toHaveCount(0, {
      timeout: 30_000,
    });

    // A deployment that fails in CloudFormation leaves staging on its old
    // image and shows the stack's reason.
    const fault = await injectFault({
      type: 'resourceFailure',
      resourceType: 'AWS::ECS::TaskDefinition',
      stackName: 'devops-app-staging',
      message: 'Simulated: image manifest not found',
    });
    try {
      const staging = (
        await (
          await api.get(
            `${backendUrl}/api/aws-environments/promotions?entityRef=component:default/devops-app&status=pending_review`,
            { headers: { Authorization: `Bearer ${reviewer}` } },
          )
        ).json()
      ).items.find((p: any) => p.to === 'staging');
      const approvedStaging = await api.post(
        `${backendUrl}/api/aws-environments/promotions/${staging.id}/approve`,
        { headers: { Authorization: `Bearer ${reviewer}` }, data: {} },
      );
      expect(approvedStaging.status()).toBe(200);
      await expect(async () => {
        await page.reload();
        await expect(row.getByTestId('failed-staging')).toContainText(
          'image manifest not found',
          { timeout: 5_000 },
        );
      }).toPass({ timeout: 180_000 });
      await expect(row.getByTestId('cell-staging')).toContainText('3.12-slim');
    } finally {
      await clearFault(fault);
    }
    // That deployment went through staging's gate (a minute healthy in qa)
    // before it ran.
    await row
      .getByTestId('cell-staging')
      .getByRole('button', { name: /Promotion of 3.13-slim failed/ })
      .click();
    const stagingHistory = page.getByRole('dialog');
    await expect(
      stagingHistory.getByText('Verified: 1 minute healthy in qa'),
    ).toBeVisible();
    await page.screenshot({
      path: 'test-results/screenshots/promotion---staging-gate-passed-then-deployment-failed.png',
      fullPage: true,
    });
    await page.keyboard.press('Escape');

    // The audit history shows who asked and who approved.
    await row
      .getByTestId('cell-qa')
      .getByRole('button', { name: 'promotion' })
      .click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText('user:default/guest').first()).toBeVisible();
    await expect(
      dialog.getByText('user:default/reviewer').first(),
    ).toBeVisible();
    await expect(dialog.getByText('succeeded').first()).toBeVisible();
    await page.keyboard.press('Escape');

    // Rollback: qa goes back to what ran before the promotion, under qa's
    // review policy, through the same deploy path.
    const qaCell = row.getByTestId('cell-qa');
    const rollback = qaCell.getByTestId('rollback-qa');
    await expect(rollback).toContainText('Roll back to 3.12-slim');
    await rollback.click();
    await expect(row.getByTestId('pending-qa')).toContainText(
      'pending review: roll back to 3.12-slim',
    );
    const [qaRollback] = (
      await (
        await api.get(
          `${backendUrl}/api/aws-environments/promotions?entityRef=component:default/devops-app&status=pending_review`,
          { headers: { Authorization: `Bearer ${reviewer}` } },
        )
      ).json()
    ).items.filter((p: any) => p.kind === 'rollback');
    expect(qaRollback).toMatchObject({
      to: 'qa',
      requestedBy: 'user:default/guest',
    });
    const approvedRollback = await api.post(
      `${backendUrl}/api/aws-environments/promotions/${qaRollback.id}/approve`,
      { headers: { Authorization: `Bearer ${reviewer}` }, data: {} },
    );
    expect(approvedRollback.status()).toBe(200);
    await expect(async () => {
      await page.reload();
      await expect(row.getByTestId('cell-qa')).toContainText('3.12-slim', {
        timeout: 5_000,
      });
      await expect(row.getByTestId('pending-qa')).toHaveCount(0);
    }).toPass({ timeout: 180_000 });
    await page.screenshot({
      path: 'test-results/screenshots/promotion---qa-rolled-back.png',
      fullPage: true,
    });
  });
});

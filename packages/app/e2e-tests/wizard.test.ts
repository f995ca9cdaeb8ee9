import { test, expect, signInAsGuest } from './fixtures';

/*
 * A platform engineer walks the template wizard as a user does, and the
 * task log shows the provisioning through to success.
 */
test.describe('template wizard', () => {
  test('refuses prod without the confirmation before anything is submitted', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const submitted: string[] = [];
    page.on('request', request => {
      if (
        request.method() === 'POST' &&
        request.url().includes('/api/scaffolder/v2/tasks')
      ) {
        submitted.push(request.url());
      }
    });
    await signInAsGuest(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Create', exact: true })
      .click();
    await page
      .getByRole('article')
      .filter({ hasText: 'AWS service with environments' })
      .getByRole('button', { name: 'Choose' })
      .click();

    await page.getByLabel('Project name').fill('wizard-prod');
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('devops');
    await page.getByRole('option', { name: /devops-team/ }).click();
    await page.getByRole('button', { name: 'Next' }).click();

    // prod besides the preselected test.
    await page.getByLabel('prod — 10.0.0.0/16').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click(); // Container
    await page.getByRole('button', { name: 'Next' }).click(); // Secret

    // The last step, left unticked: the form stays, says why, and offers
    // nothing to create. With prod selected the box is required, so the
    // browser's own validation stops the step and shows its message on
    // the box ("Please check this box if you want to proceed.").
    const confirm = page.getByLabel('I confirm provisioning into production');
    await expect(confirm).not.toBeChecked();
    await page.getByRole('button', { name: 'Review' }).click();
    const validity = await confirm.evaluate(box => ({
      missing: (box as HTMLInputElement).validity.valueMissing,
      message: (box as HTMLInputElement).validationMessage,
    }));
    expect(validity.missing).toBe(true);
    expect(validity.message).not.toBe('');
    await expect(confirm).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create' })).toHaveCount(0);

    // Ticked, the scaffolder's review follows; the test creates nothing.
    await confirm.check();
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(page.getByRole('button', { name: 'Create' })).toBeVisible();
    expect(submitted).toEqual([]);
  });

  test('refuses an autoscaling minimum above the maximum on the step itself', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signInAsGuest(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Create', exact: true })
      .click();
    await page
      .getByRole('article')
      .filter({ hasText: 'AWS service with environments' })
      .getByRole('button', { name: 'Choose' })
      .click();
    await page.getByLabel('Project name').fill('wizard-bounds');
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('devops');
    await page.getByRole('option', { name: /devops-team/ }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click(); // Environments

    await page.getByLabel('Tasks at start').fill('5');
    await page.getByLabel('Autoscaling minimum').fill('5');
    await page.getByLabel('Autoscaling maximum').fill('3');
    await page.getByRole('button', { name: 'Next' }).click();
    // The form says why and stays on the step: nothing reaches the action.
    // The message is the field's own validity, shown by the browser.
    const messages = await page
      .locator('input:invalid')
      .evaluateAll(inputs =>
        inputs.map(i => (i as HTMLInputElement).validationMessage),
      );
    expect(messages.join('\n')).toContain(
      'Minimum value (5) must be less than the maximum value (3)',
    );
    await expect(page.getByLabel('Autoscaling maximum')).toBeVisible();
    await expect(page.getByLabel('App secret')).toHaveCount(0);
  });

  test('the review step estimates the monthly cost and follows the counts', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signInAsGuest(page);
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Create', exact: true })
      .click();
    await page
      .getByRole('article')
      .filter({ hasText: 'AWS service with environments' })
      .getByRole('button', { name: 'Choose' })
      .click();
    await page.getByLabel('Project name').fill('wizard-cost');
    const owner = page.getByRole('textbox', { name: 'Owner' });
    await owner.click();
    await owner.fill('devops');
    await page.getByRole('option', { name: /devops-team/ }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('qa — 10.1.0.0/16').check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click(); // Container
    await page.getByRole('button', { name: 'Next' }).click(); // Secret

    // Test and QA, 1 to 10 tasks: priced from the sandbox's price list.
    const table = page.getByRole('table', {
      name: 'Estimated monthly cost per environment',
    });
    const total = table.getByRole('row', { name: /Total/ });
    await expect(total).toContainText(/\$[\d,.]+ – \$[\d,.]+|\$[\d,.]+/, {
      timeout: 30_000,
    });
    await expect(table.getByRole('row', { name: /QA/ })).toBeVisible();
    await expect(page.getByText(/Every figure is an estimate/)).toBeVisible();
    const before = await total.textContent();
    await page.screenshot({
      path: 'test-results/screenshots/wizard-cost-estimate.png',
      fullPage: true,
    });

    // Fewer tasks at most: the high end of the range comes down.
    await page.getByRole('button', { name: 'Back' }).click(); // Secret
    await page.getByRole('button', { name: 'Back' }).click(); // Container
    await page.getByLabel('Autoscaling maximum').fill('2');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(total).not.toHaveText(before ?? '', { timeout: 30_000 });
    await page.screenshot({
      path: 'test-results/screenshots/wizard-cost-estimate-fewer-tasks.png',
      fullPage: true,
    });
  });

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

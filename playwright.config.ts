import { defineConfig } from '@playwright/test';

/**
 * Browser tests run in Debian's Chromium (installed by scripts/test with
 * apt-get): Playwright's own browser download cannot work on our machines.
 * scripts/test starts the AWS sandbox and the portal before running them.
 */
export const shared = defineConfig({
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});

/**
 * Two workers: the tests mostly wait on the sandbox's clock (ECS services
 * settle in about 45 s) and the portal's polls, not on the CPU. The tests
 * of the demo project (devops-app) share its stacks: the promotion test
 * changes what runs in test, qa and staging, which the Environments tab
 * tests read, so it starts only after them. The other tests make projects
 * of their own and run beside that chain.
 */
export default defineConfig({
  ...shared,
  testDir: 'packages/app/e2e-tests',
  outputDir: 'test-results/playwright',
  workers: 2,
  projects: [
    { name: 'demo project', testMatch: /environments\.test\.ts$/ },
    {
      name: 'demo project promotion',
      testMatch: /promotion\.test\.ts$/,
      dependencies: ['demo project'],
    },
    {
      name: 'own projects',
      testMatch: /(app|provisioning|wizard)\.test\.ts$/,
    },
  ],
});

import { defineConfig } from '@playwright/test';
import { shared } from '../playwright.config';

/**
 * The production checks (scripts/test): two replicas of the built backend
 * on PostgreSQL and Redis behind a round-robin proxy, which scripts/lib/
 * production.sh starts; every page and API call goes through the proxy
 * unless a test names a replica.
 */
export default defineConfig({
  ...shared,
  testDir: '.',
  timeout: 600_000,
  outputDir: '../test-results/production/playwright',
  use: {
    ...shared.use,
    baseURL: process.env.PRODUCTION_URL ?? 'http://localhost:7100',
  },
});

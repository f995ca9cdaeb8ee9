import { defineConfig } from '@playwright/test';
import { shared } from '../playwright.config';

/**
 * The install test's browser checks (scripts/install-test): they run
 * against the new app that the script created outside this repository,
 * on the same ports and in the same Debian Chromium as our own.
 */
export default defineConfig({
  ...shared,
  testDir: '.',
  outputDir: '../test-results/install-test/playwright',
});

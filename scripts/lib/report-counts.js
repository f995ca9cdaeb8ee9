// Prints "passed failed skipped" for a Jest or Playwright JSON report, so
// scripts/test can add them up into its summary line.
const fs = require('fs');

const [kind, file] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(file, 'utf8'));

if (kind === 'jest') {
  // A suite that fails to load has no test results but is a failure.
  const brokenSuites = report.numRuntimeErrorTestSuites ?? 0;
  console.log(
    report.numPassedTests,
    report.numFailedTests + brokenSuites,
    report.numPendingTests + report.numTodoTests,
  );
} else if (kind === 'jest-services') {
  // What really ran on the real services, read from the report rather than
  // assumed from an open port: passed tests on PostgreSQL, on Redis, and
  // whether the backend ran on the production configuration.
  const passed = report.testResults.flatMap(suite =>
    suite.assertionResults
      .filter(t => t.status === 'passed')
      .map(t => ({ file: suite.name, name: t.fullName })),
  );
  const postgres = passed.filter(t => /POSTGRES/.test(t.name)).length;
  const redis = passed.filter(t => /REDIS/.test(t.name)).length;
  const production = passed.some(t =>
    t.file.endsWith('productionConfig.test.ts'),
  );
  console.log(postgres, redis, production ? 1 : 0);
} else if (kind === 'playwright') {
  const s = report.stats;
  const errors = (report.errors ?? []).length;
  console.log(s.expected + s.flaky, s.unexpected + errors, s.skipped);
} else {
  throw new Error(`unknown report kind ${kind}`);
}

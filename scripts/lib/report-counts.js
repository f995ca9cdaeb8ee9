// Prints "passed failed skipped" for a Jest or Playwright JSON report, so
// scripts/test can add them up into its summary line; with
// `failures-jest` / `failures-playwright`, one line per failed test with
// the first two lines of its error, so a summary names what failed.
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
  // assumed from an open port: passed tests on PostgreSQL and on Redis.
  const passed = report.testResults.flatMap(suite =>
    suite.assertionResults
      .filter(t => t.status === 'passed')
      .map(t => t.fullName),
  );
  const postgres = passed.filter(name => /POSTGRES/.test(name)).length;
  const redis = passed.filter(name => /REDIS/.test(name)).length;
  console.log(postgres, redis);
} else if (kind === 'playwright') {
  const s = report.stats;
  const errors = (report.errors ?? []).length;
  console.log(s.expected + s.flaky, s.unexpected + errors, s.skipped);
} else if (kind === 'failures-jest') {
  for (const suite of report.testResults) {
    const failed = suite.assertionResults.filter(t => t.status === 'failed');
    if (failed.length === 0 && suite.status === 'failed') {
      console.log(`${suite.name}: ${firstLine(suite.message)}`);
    }
    for (const t of failed) {
      console.log(`${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    }
  }
} else if (kind === 'failures-playwright') {
  const walk = suite => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected') continue;
        const result = t.results?.[t.results.length - 1];
        console.log(
          `${spec.file}:${spec.line} ${spec.title}: ${firstLine(
            result?.error?.message,
          )}`,
        );
      }
    }
    (suite.suites ?? []).forEach(walk);
  };
  (report.suites ?? []).forEach(walk);
  for (const e of report.errors ?? []) console.log(firstLine(e.message));
} else {
  throw new Error(`unknown report kind ${kind}`);
}

function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  const plain = String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');
  const lines = plain
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
  return (lines.slice(0, 2).join(' | ') || '(no message)').slice(0, 240);
}

/*
 * Contract test with a real client: the AWS CLI v2 (/usr/bin/aws, Debian's
 * awscli; scripts/test installs it) runs a script of calls against an
 * in-process sandbox, and what it prints is compared with what AWS
 * documents for each call: the JSON shapes of the API reference, the CLI's
 * exit codes (254 for a service error, printed as "An error occurred (Code)
 * when calling the Op operation: ..."; 255 when a waiter reaches a failure
 * state) and the services' error codes.
 *
 * Not a unit test: `backstage-cli package test` leaves *.contract.test.ts
 * out (package.json jest.testPathIgnorePatterns). scripts/test runs it as
 * its own step; by hand:
 *   yarn workspace @internal/aws-sandbox test:contract src/cliContract/awsCli.contract.test.ts
 *
 * Each CLI call costs about a second of Python start-up, so calls that do
 * not depend on each other run two or three at a time, and the tests share
 * one sandbox and one stack: the parts in ./__testUtils__/awsCli/ register
 * them here, in order (the stack is created in cloudformationStack.ts, read
 * by the parts after it and deleted in failuresAndDelete.ts); context.ts
 * there holds what they share.
 */
import { execFileSync } from 'node:child_process';
import { haveExecutable, useContractSandbox } from './__testUtils__/cli';
import { changeSetsTests } from './__testUtils__/awsCli/changeSets';
import { cloudformationStackTests } from './__testUtils__/awsCli/cloudformationStack';
import { cloudwatchTests } from './__testUtils__/awsCli/cloudwatch';
import { AWS, awsCli } from './__testUtils__/awsCli/context';
import { ecsTests } from './__testUtils__/awsCli/ecs';
import { failuresAndDeleteTests } from './__testUtils__/awsCli/failuresAndDelete';
import { logsAutoScalingTests } from './__testUtils__/awsCli/logsAutoScaling';
import { stsSsmTests } from './__testUtils__/awsCli/stsSsm';
import { updatesAndDriftTests } from './__testUtils__/awsCli/updatesAndDrift';

// Generous: scripts/test runs this beside the browser tests on two cores.
jest.setTimeout(120_000);

const describeIfCli =
  haveExecutable(AWS, "Debian's awscli package, the AWS CLI v2") &&
  /^aws-cli\/2\./.test(execFileSync(AWS, ['--version'], { encoding: 'utf8' }))
    ? describe
    : describe.skip;

describeIfCli('AWS CLI v2 against the sandbox', () => {
  const t = useContractSandbox(16);
  const cli = awsCli(t);

  stsSsmTests(cli);
  cloudformationStackTests(cli);
  ecsTests(cli);
  logsAutoScalingTests(cli);
  cloudwatchTests(cli);
  changeSetsTests(cli);
  updatesAndDriftTests(cli);
  failuresAndDeleteTests(cli);

  it('reached the sandbox through the operations named above (CloudWatch in the query protocol)', () => {
    for (const call of [
      'cloudwatch ListMetrics',
      'cloudwatch GetMetricStatistics',
      'cloudwatch GetMetricData',
      'cloudwatch PutMetricAlarm',
      'cloudformation DeleteChangeSet',
      'cloudformation CancelUpdateStack',
      'cloudformation DetectStackDrift',
      'ec2 DescribeAvailabilityZones',
      'application-autoscaling DescribeScalableTargets',
    ]) {
      expect(t.calls).toContain(call);
    }
  });
});

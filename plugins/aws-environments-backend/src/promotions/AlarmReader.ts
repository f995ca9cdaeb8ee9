import {
  CloudWatchClient,
  paginateDescribeAlarms,
} from '@aws-sdk/client-cloudwatch';
import {
  AwsEnvironmentConfig,
  errorMessage,
} from '@envplane/plugin-aws-environments-common';
import { AwsClientFactory } from '@envplane/plugin-aws-environments-node';

/** Which CloudWatch alarms of an environment are in ALARM. */
export interface AlarmReader {
  /** Names of the alarms among `names`, or starting with one of `prefixes`, that are in ALARM. */
  alarmsInAlarm(
    environment: string,
    alarms: { names: string[]; prefixes: string[] },
  ): Promise<string[]>;
}

/** DescribeAlarms takes at most 100 names per call. */
const MAX_NAMES = 100;

/**
 * Reads alarm states with DescribeAlarms in the environment's account and
 * region (from config, never from a request), asking only for alarms in
 * ALARM: one paginated call per 100 names and one per prefix.
 */
export class CloudWatchAlarmReader implements AlarmReader {
  constructor(
    private readonly options: {
      clients: AwsClientFactory;
      environments: AwsEnvironmentConfig[];
    },
  ) {}

  async alarmsInAlarm(
    environment: string,
    alarms: { names: string[]; prefixes: string[] },
  ): Promise<string[]> {
    const env = this.options.environments.find(e => e.name === environment);
    if (!env) {
      throw new Error(`environment "${environment}" is not configured`);
    }
    const client = await this.options.clients.client(CloudWatchClient, {
      accountId: env.accountId,
      region: env.region,
    });
    const requests = [
      ...chunks(alarms.names, MAX_NAMES).map(names => ({ AlarmNames: names })),
      ...alarms.prefixes.map(prefix => ({ AlarmNamePrefix: prefix })),
    ];
    const found = new Set<string>();
    try {
      for (const request of requests) {
        for await (const page of paginateDescribeAlarms(
          { client },
          { ...request, StateValue: 'ALARM', AlarmTypes: ['MetricAlarm'] },
        )) {
          for (const alarm of page.MetricAlarms ?? []) {
            if (alarm.AlarmName) found.add(alarm.AlarmName);
          }
        }
      }
    } catch (error) {
      throw new Error(
        `CloudWatch alarms of ${environment} could not be read: ${errorMessage(
          error,
        )}`,
      );
    }
    return [...found].sort();
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    result.push(items.slice(i, i + size));
  }
  return result;
}

/*
 * Requests per second for DescribeServices and GetMetricData with N
 * concurrent SDK clients against an in-process sandbox (client and server
 * share the machine, so the figures are a lower bound for the server).
 * Usage: yarn workspace @internal/aws-sandbox bench [seconds-per-cell]
 */
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CloudWatchClient,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { startSandbox } from '../src/index';

const seconds = Number(process.argv[2] ?? 3);
const concurrency = [1, 4, 16];

async function main() {
  const sb = await startSandbox({ port: 0, clock: 'manual', seed: 1 });
  const config = {
    endpoint: sb.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  const ecs = new ECSClient(config);
  await ecs.send(new CreateClusterCommand({ clusterName: 'bench' }));
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'bench',
      containerDefinitions: [{ name: 'app', image: 'x', memory: 128 }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'bench',
      serviceName: 'svc',
      taskDefinition: 'bench',
      desiredCount: 3,
    }),
  );
  sb.advance(3600);
  const dims = [
    { Name: 'ClusterName', Value: 'bench' },
    { Name: 'ServiceName', Value: 'svc' },
  ];
  const now = sb.clock.now();
  type Clients = { ecs: ECSClient; cw: CloudWatchClient };
  const calls: Record<string, (c: Clients) => Promise<unknown>> = {
    DescribeServices: async c =>
      c.ecs.send(
        new DescribeServicesCommand({ cluster: 'bench', services: ['svc'] }),
      ),
    'GetMetricData (3 h, 2 series)': async c =>
      c.cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(now - 3 * 3600_000),
          EndTime: new Date(now),
          MetricDataQueries: ['CPUUtilization', 'MemoryUtilization'].map(
            (m, k) => ({
              Id: `m${k}`,
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/ECS',
                  MetricName: m,
                  Dimensions: dims,
                },
                Period: 60,
                Stat: 'Average',
              },
            }),
          ),
        }),
      ),
  };
  const rows: string[] = [];
  for (const [name, call] of Object.entries(calls)) {
    const cells: string[] = [];
    for (const n of concurrency) {
      // N independent SDK clients, each with its own connection pool.
      const own = Array.from({ length: n }, () => ({
        ecs: new ECSClient(config),
        cw: new CloudWatchClient(config),
      }));
      let count = 0;
      const deadline = Date.now() + seconds * 1000;
      await Promise.all(
        own.map(async c => {
          while (Date.now() < deadline) {
            await call(c);
            count++;
          }
        }),
      );
      cells.push(String(Math.round(count / seconds)));
      for (const c of own) {
        c.ecs.destroy();
        c.cw.destroy();
      }
    }
    rows.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  process.stdout.write(
    `| operation | ${concurrency
      .map(n => `${n} client${n > 1 ? 's' : ''}`)
      .join(' | ')} |\n` +
      `|---|${concurrency.map(() => '---:').join('|')}|\n${rows.join('\n')}\n`,
  );
  await sb.close();
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

// The fleet benchmark's node side (issue 13); bench/fleet.sh starts what it
// measures and calls this in steps:
//
//   node bench/fleet.mjs fill SANDBOX_URL N          # N projects x 4 environments
//   node bench/fleet.mjs catalog FILE N              # N Component entities
//   node bench/fleet.mjs wait-catalog BASE_URL N     # until the catalog has them
//   node bench/fleet.mjs measure BASE_URL SANDBOX_URL N OUT_DIR
//
// fill talks to the sandbox with the AWS SDK v3 (ECS, SSM, Logs), never
// CloudFormation. measure reads the sandbox's throttling counters, the
// plugin's status_snapshots table (psql) and the backend over real HTTP
// with a guest token, and prints a Markdown report (JSON in OUT_DIR).
// Settings (environment): FLEET_WINDOW_SECONDS (300), FLEET_HOT_ENTITIES
// (5), FLEET_CALLS_PER_SECOND (the configured budget, 5), FLEET_DB (the
// plugin's database), PG* for psql.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ENVIRONMENTS = ['test', 'qa', 'staging', 'prod'];
// Running tasks: one in prod only (default), or one in every environment.
// The sandbox's ECS simulator steps every service against every task on
// each request and each task event, so tasks make the fill superlinear.
const TASKS = process.env.FLEET_TASKS ?? 'prod';
// One CloudFormation stack per environment, tagged as the provisioning
// action tags them, so the catalog module finds the N Components itself
// (FLEET_STACKS=off: a catalog file of N Components instead, no stacks).
const STACKS = process.env.FLEET_STACKS !== 'off';
// The catalog module's default refresh frequency (frequencySeconds).
const CATALOG_FREQUENCY_SECONDS = 30;
const owner = i => (i % 2 ? 'platform-team' : 'app-team');
const projectName = i => `svc-${String(i).padStart(4, '0')}`;
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

function names(project, env) {
  // As plugins/aws-environments-common/src/naming.ts names them.
  const prefix = `${project}-${env}`;
  return {
    clusterName: `${prefix}-ecs-cluster`,
    serviceName: `${prefix}-service`,
    taskFamily: `${prefix}-task`,
    logGroupName: `/ecs/${prefix}`,
    appSecretParameterName: `/${project}/${env}/app-secret`,
    parameterPath: `/${project}/${env}/`,
    stackName: prefix,
  };
}

async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        await fn(item);
      }
    }),
  );
}

async function fill(sandboxUrl, n) {
  const { ECSClient, CreateClusterCommand, RegisterTaskDefinitionCommand } =
    await import('@aws-sdk/client-ecs');
  const { CreateServiceCommand } = await import('@aws-sdk/client-ecs');
  const { SSMClient, PutParameterCommand } = await import(
    '@aws-sdk/client-ssm'
  );
  const { CloudWatchLogsClient, CreateLogGroupCommand } = await import(
    '@aws-sdk/client-cloudwatch-logs'
  );
  const config = {
    endpoint: sandboxUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'fleet', secretAccessKey: 'fleet' },
    maxAttempts: 10,
  };
  const ecs = new ECSClient(config);
  const ssm = new SSMClient(config);
  const logs = new CloudWatchLogsClient(config);
  const { CloudFormationClient, CreateStackCommand } = await import(
    '@aws-sdk/client-cloudformation'
  );
  const cloudformation = new CloudFormationClient(config);
  const work = [];
  for (let i = 1; i <= n; i++) {
    for (const env of ENVIRONMENTS) work.push([projectName(i), env, i]);
  }
  const started = performance.now();
  let done = 0;
  await pool(work, 16, async ([project, env, i]) => {
    const r = names(project, env);
    if (STACKS) {
      // What the catalog module lists; its one resource keeps it cheap.
      await cloudformation.send(
        new CreateStackCommand({
          StackName: r.stackName,
          Description: `Fleet service ${i}, ${env}`,
          TemplateBody: JSON.stringify({
            Resources: {
              Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
            },
          }),
          Tags: [
            { Key: 'CreatedBy', Value: 'backstage' },
            { Key: 'Project', Value: project },
            { Key: 'Environment', Value: env },
            { Key: 'Owner', Value: `group:default/${owner(i)}` },
          ],
        }),
      );
    }
    await logs.send(
      new CreateLogGroupCommand({ logGroupName: r.logGroupName }),
    );
    await ecs.send(new CreateClusterCommand({ clusterName: r.clusterName }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: r.taskFamily,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          {
            name: 'app',
            image: `public.ecr.aws/nginx/nginx:1.27-${env}`,
            essential: true,
            portMappings: [{ containerPort: 80 }],
            logConfiguration: {
              logDriver: 'awslogs',
              options: {
                'awslogs-group': r.logGroupName,
                'awslogs-region': 'us-east-1',
                'awslogs-stream-prefix': 'app',
              },
            },
          },
        ],
      }),
    );
    await ecs.send(
      new CreateServiceCommand({
        cluster: r.clusterName,
        serviceName: r.serviceName,
        taskDefinition: r.taskFamily,
        desiredCount: TASKS === 'all' || env === 'prod' ? 1 : 0,
        launchType: 'FARGATE',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: ['subnet-fleet-a', 'subnet-fleet-b'],
            assignPublicIp: 'DISABLED',
          },
        },
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: r.appSecretParameterName,
        Type: 'SecureString',
        Value: `secret-${project}-${env}`,
      }),
    );
    done += 1;
    if (done % 400 === 0) {
      console.error(`filled ${done}/${work.length} environments`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Filled ${n} projects x ${ENVIRONMENTS.length} environments (${
      work.length
    } clusters, services, task definitions, log groups, SecureStrings${
      STACKS ? ', tagged stacks' : ''
    }) in ${seconds.toFixed(0)} s`,
  );
}

function catalog(file, n) {
  const docs = [];
  for (let i = 1; i <= n; i++) {
    const name = projectName(i);
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${name}`,
        `  title: Fleet service ${i}`,
        '  annotations:',
        `    aws-environments.io/project: ${name}`,
        'spec:',
        '  type: service',
        '  lifecycle: production',
        `  owner: ${owner(i)}`,
        '',
      ].join('\n'),
    );
  }
  fs.writeFileSync(file, docs.join('---\n'));
  console.log(`Wrote ${n} Component entities to ${file}`);
}

async function token(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in: HTTP ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

async function countComponents(baseUrl, headers) {
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-query?filter=kind=component,metadata.annotations.aws-environments.io/project&limit=1`,
    { headers },
  );
  if (!res.ok) return -1;
  return (await res.json()).totalItems;
}

async function waitCatalog(baseUrl, n) {
  const started = performance.now();
  for (;;) {
    let count = -1;
    try {
      count = await countComponents(baseUrl, {
        Authorization: `Bearer ${await token(baseUrl)}`,
      });
    } catch {
      // not up yet
    }
    if (count >= n) {
      console.log(
        `The catalog has ${count} annotated components after ${(
          (performance.now() - started) /
          1000
        ).toFixed(0)} s`,
      );
      return;
    }
    if (performance.now() - started > 900_000) {
      throw new Error(
        `the catalog has ${count} of ${n} components after 15 min`,
      );
    }
    await sleep(3000);
  }
}

async function timed(url, headers) {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.arrayBuffer();
  return {
    ms: performance.now() - t0,
    status: res.status,
    bytes: body.byteLength,
    json: res.ok ? JSON.parse(Buffer.from(body).toString('utf8')) : undefined,
  };
}

const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

function psql(sql) {
  return execFileSync(
    'psql',
    [
      '-h',
      process.env.PGHOST ?? '127.0.0.1',
      '-p',
      process.env.PGPORT ?? '5432',
      '-U',
      process.env.PGUSER ?? 'postgres',
      '-d',
      process.env.FLEET_DB,
      '-AtF',
      '\t',
      '-c',
      sql,
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(line => line.split('\t'));
}

async function throttling(sandboxUrl) {
  const res = await fetch(`${sandboxUrl}/_sandbox/throttling`);
  return { at: Date.now(), ...(await res.json()) };
}

function countersBy(snapshot, keyOf) {
  const map = new Map();
  for (const c of snapshot.counters) {
    const key = keyOf(c);
    const prev = map.get(key) ?? { allowed: 0, throttled: 0 };
    map.set(key, {
      allowed: prev.allowed + c.allowed,
      throttled: prev.throttled + c.throttled,
    });
  }
  return map;
}

function diff(after, before) {
  const out = new Map();
  for (const [key, a] of after) {
    const b = before.get(key) ?? { allowed: 0, throttled: 0 };
    const d = {
      allowed: a.allowed - b.allowed,
      throttled: a.throttled - b.throttled,
    };
    if (d.allowed || d.throttled) out.set(key, d);
  }
  return out;
}

function summaryHasThrottling(summary) {
  return /throttl|rate exceeded/i.test(JSON.stringify(summary ?? {}));
}

async function measure(baseUrl, sandboxUrl, n, outDir) {
  const windowSeconds = Number(process.env.FLEET_WINDOW_SECONDS ?? 300);
  const hotCount = Number(process.env.FLEET_HOT_ENTITIES ?? 5);
  const cps = Number(process.env.FLEET_CALLS_PER_SECOND ?? 5);
  const headers = { Authorization: `Bearer ${await token(baseUrl)}` };
  const overviewUrl = `${baseUrl}/api/aws-environments/overview?limit=25`;
  const entityUrl = name =>
    `${baseUrl}/api/aws-environments/entity/default/component/${name}/overview`;
  const regionKey = c => `${c.account}:${c.region}`;
  // STS and the Price List API are never throttled and not refreshing's.
  const opKey = c => `${c.account}:${c.region} ${c.service}:${c.operation}`;

  const samples = [await throttling(sandboxUrl)];
  const windowStart = samples[0].at;
  const dbStart = psql(`select now()`)[0][0];

  // The status page's first page, as the browser asks for it: one request.
  const firstPage = await timed(overviewUrl, headers);
  const pageSamples = [];
  const entitySamples = [];
  let throttledOnPage = 0;
  let stop = false;

  const sampler = (async () => {
    while (!stop) {
      await sleep(10_000);
      samples.push(await throttling(sandboxUrl));
    }
  })();
  // The status page left open: its first page every 10 s (25 entities hot).
  const pagePoller = (async () => {
    while (!stop) {
      await sleep(10_000);
      const r = await timed(overviewUrl, headers);
      pageSamples.push({
        at: Date.now(),
        ms: r.ms,
        bytes: r.bytes,
        status: r.status,
      });
      for (const row of r.json?.rows ?? []) {
        for (const env of row.environments) {
          if (summaryHasThrottling(env.summary)) throttledOnPage += 1;
        }
      }
    }
  })();
  // The Environments tab of a few services left open: every 5 s.
  const entityPoller = (async () => {
    while (!stop) {
      for (let i = 1; i <= hotCount && !stop; i++) {
        const r = await timed(entityUrl(projectName(i)), headers);
        entitySamples.push({
          at: Date.now(),
          entity: i,
          ms: r.ms,
          bytes: r.bytes,
          status: r.status,
        });
        for (const env of r.json?.environments ?? []) {
          if (summaryHasThrottling(env.summary)) throttledOnPage += 1;
        }
      }
      await sleep(5_000);
    }
  })();

  const progressEvery = 60_000;
  for (let t = 0; t < windowSeconds * 1000; t += progressEvery) {
    await sleep(Math.min(progressEvery, windowSeconds * 1000 - t));
    const last = samples[samples.length - 1];
    console.error(
      `t=${Math.round((Date.now() - windowStart) / 1000)} s: sandbox allowed ${
        last.totals.allowed
      }, throttled ${last.totals.throttled}`,
    );
  }
  stop = true;
  await Promise.all([sampler, pagePoller, entityPoller]);
  samples.push(await throttling(sandboxUrl));
  const lastPage = await timed(overviewUrl, headers);

  // Calls per account-region: in every 60 s window between samples (10 s
  // apart), and per 10 s step.
  // The budget bounds the snapshot refresher's sources; the catalog
  // module's CloudFormation listing and STS are counted apart below.
  const budgeted = c =>
    !['cloudformation', 'sts', 'pricing'].includes(c.service);
  const perRegion = samples.map(s =>
    countersBy({ counters: s.counters.filter(budgeted) }, regionKey),
  );
  const regions = [...perRegion[perRegion.length - 1].keys()];
  const rate = {};
  for (const region of regions) {
    const total = i => {
      const v = perRegion[i].get(region) ?? { allowed: 0, throttled: 0 };
      return v;
    };
    let maxMinute = 0;
    let maxStep = 0;
    for (let i = 0; i < samples.length; i++) {
      for (let j = i + 1; j < samples.length; j++) {
        const dt = (samples[j].at - samples[i].at) / 1000;
        const calls =
          total(j).allowed +
          total(j).throttled -
          total(i).allowed -
          total(i).throttled;
        if (j === i + 1 && dt > 0) maxStep = Math.max(maxStep, calls / dt);
        if (dt >= 55 && dt <= 65)
          maxMinute = Math.max(maxMinute, (calls * 60) / dt);
      }
    }
    const first = total(0);
    const last = total(samples.length - 1);
    const seconds = (samples[samples.length - 1].at - samples[0].at) / 1000;
    rate[region] = {
      calls: last.allowed + last.throttled - first.allowed - first.throttled,
      throttled: last.throttled - first.throttled,
      meanPerMinute:
        ((last.allowed + last.throttled - first.allowed - first.throttled) *
          60) /
        seconds,
      maxPerMinute: maxMinute,
      maxPerSecond10s: maxStep,
    };
  }
  const byOperation = diff(
    countersBy(samples[samples.length - 1], opKey),
    countersBy(samples[0], opKey),
  );

  // Snapshot ages, from the database's clock. Hot: viewed within the last
  // 15 min (hotForMinutes' default), as the refresher decides.
  const rows = psql(
    `select coalesce(viewed_at > now() - interval '15 minutes', false),
            extract(epoch from now() - fetched_at),
            fetched_at >= timestamptz '${dbStart}',
            coalesce(summary ~* 'throttl|rate exceeded', false)
       from status_snapshots`,
  );
  const ages = { hot: [], cold: [] };
  const never = { hot: 0, cold: 0 };
  let readInWindow = 0;
  let throttledInDb = 0;
  for (const [hot, age, inWindow, throttledSummary] of rows) {
    const kind = hot === 't' ? 'hot' : 'cold';
    if (age === '') never[kind] += 1;
    else ages[kind].push(Number(age));
    if (inWindow === 't') readInWindow += 1;
    if (throttledSummary === 't') throttledInDb += 1;
  }

  const warmEntity = entitySamples.filter(s => s.at > windowStart + 60_000);
  const result = {
    date: new Date().toISOString(),
    n,
    environments: n * ENVIRONMENTS.length,
    windowSeconds,
    callsPerSecond: cps,
    budgetPerMinute: cps * 60,
    rate,
    byOperation: Object.fromEntries(byOperation),
    snapshots: {
      rows: rows.length,
      readInWindow,
      never,
      hot: {
        count: ages.hot.length,
        p50: quantile(ages.hot, 0.5),
        p99: quantile(ages.hot, 0.99),
      },
      cold: {
        count: ages.cold.length,
        p50: quantile(ages.cold, 0.5),
        p99: quantile(ages.cold, 0.99),
      },
      throttledInDb,
    },
    firstPage: {
      requests: 1,
      status: firstPage.status,
      bytes: firstPage.bytes,
      ms: firstPage.ms,
      rows: firstPage.json?.rows?.length,
      rowsWithAllSummaries: (firstPage.json?.rows ?? []).filter(r =>
        r.environments.every(e => e.summary),
      ).length,
      totalItems: firstPage.json?.totalItems,
    },
    lastPage: {
      status: lastPage.status,
      bytes: lastPage.bytes,
      ms: lastPage.ms,
      rowsWithAllSummaries: (lastPage.json?.rows ?? []).filter(r =>
        r.environments.every(e => e.summary),
      ).length,
    },
    pagePolls: {
      count: pageSamples.length,
      failures: pageSamples.filter(s => s.status !== 200).length,
      p50: quantile(
        pageSamples.map(s => s.ms),
        0.5,
      ),
      p99: quantile(
        pageSamples.map(s => s.ms),
        0.99,
      ),
    },
    entityOverview: {
      count: entitySamples.length,
      failures: entitySamples.filter(s => s.status !== 200).length,
      first: entitySamples.slice(0, hotCount).map(s => Math.round(s.ms)),
      warmCount: warmEntity.length,
      warmP50: quantile(
        warmEntity.map(s => s.ms),
        0.5,
      ),
      warmP99: quantile(
        warmEntity.map(s => s.ms),
        0.99,
      ),
      bytes: entitySamples[entitySamples.length - 1]?.bytes,
    },
    throttledOnPage,
  };
  fs.writeFileSync(
    path.join(outDir, 'result.json'),
    JSON.stringify(result, null, 2),
  );

  const s = v => (Number.isFinite(v) ? `${Math.round(v)} s` : 'n/a');
  const ms = v => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : 'n/a');
  const lines = [];
  lines.push(
    `N = ${n} (${
      n * ENVIRONMENTS.length
    } environments), window ${windowSeconds} s, budget ${cps} calls/s = ${
      cps * 60
    }/min per account-region`,
    '',
    '| Account:region | AWS calls in window | Mean / min | Max in any 60 s | Max / s over 10 s | Budget / min | Throttled |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const [region, r] of Object.entries(rate)) {
    lines.push(
      `| ${region} | ${r.calls} | ${r.meanPerMinute.toFixed(
        0,
      )} | ${r.maxPerMinute.toFixed(0)} | ${r.maxPerSecond10s.toFixed(1)} | ${
        cps * 60
      } | ${r.throttled} |`,
    );
  }
  lines.push('', '| Operation | Allowed | Throttled |', '| --- | --- | --- |');
  for (const [op, c] of [...byOperation].sort(
    (a, b) => b[1].allowed - a[1].allowed,
  )) {
    lines.push(`| ${op} | ${c.allowed} | ${c.throttled} |`);
  }
  // Calls per summary read: every read sends DescribeServices and ListTasks
  // (DescribeTasks when some stopped) and shares its batch's GetMetricData;
  // first and cold reads also the three slow-cadence calls.
  const opCount = name =>
    [...byOperation]
      .filter(([op]) => op.endsWith(` ${name}`))
      .reduce((sum, [, c]) => sum + c.allowed + c.throttled, 0);
  const reads = opCount('ecs:DescribeServices');
  const slowReads = opCount('application-autoscaling:DescribeScalableTargets');
  const slowCalls =
    slowReads +
    opCount('ecs:DescribeTaskDefinition') +
    opCount('ssm:DescribeParameters');
  const readCalls = [
    'ecs:DescribeServices',
    'ecs:ListTasks',
    'ecs:DescribeTasks',
    'cloudwatch:GetMetricData',
  ].reduce((sum, op) => sum + opCount(op), 0);
  if (reads > 0) {
    lines.push(
      '',
      `Summary reads: ${reads} (${slowReads} of them first or cold); calls per read without the slow-cadence ones (a hot read): ${(
        readCalls / reads
      ).toFixed(2)}; with them (a cold read): ${(
        readCalls / reads +
        (slowReads ? slowCalls / slowReads : 0)
      ).toFixed(2)}; GetMetricData calls: ${opCount(
        'cloudwatch:GetMetricData',
      )}.`,
    );
  }
  const describeStacks = [...byOperation]
    .filter(([op]) => op.endsWith(' cloudformation:DescribeStacks'))
    .reduce((sum, [, c]) => sum + c.allowed + c.throttled, 0);
  const cycles = windowSeconds / CATALOG_FREQUENCY_SECONDS;
  lines.push(
    '',
    `Catalog module: ${describeStacks} DescribeStacks calls in ${windowSeconds} s, ${(
      describeStacks / cycles
    ).toFixed(1)} per ${CATALOG_FREQUENCY_SECONDS} s refresh cycle, for ${
      STACKS ? n * ENVIRONMENTS.length : 0
    } stacks.`,
  );
  const snap = result.snapshots;
  lines.push(
    '',
    '| Snapshots | Count | Never read | Age p50 | Age p99 |',
    '| --- | --- | --- | --- | --- |',
    `| Hot (viewed in the last 15 min) | ${snap.hot.count + snap.never.hot} | ${
      snap.never.hot
    } | ${s(snap.hot.p50)} | ${s(snap.hot.p99)} |`,
    `| Cold | ${snap.cold.count + snap.never.cold} | ${snap.never.cold} | ${s(
      snap.cold.p50,
    )} | ${s(snap.cold.p99)} |`,
    '',
    `Snapshots read in the window: ${snap.readInWindow} of ${snap.rows}; summaries in the table naming throttling: ${snap.throttledInDb}; on pages: ${throttledOnPage}.`,
    '',
    '| Request (real HTTP, guest token) | Requests | Bytes | Latency |',
    '| --- | --- | --- | --- |',
    `| Status page, first page (25 rows) at window start | 1 | ${
      firstPage.bytes
    } | ${ms(firstPage.ms)} (${result.firstPage.rowsWithAllSummaries}/${
      result.firstPage.rows
    } rows complete, HTTP ${firstPage.status}) |`,
    `| Status page, first page at window end | 1 | ${lastPage.bytes} | ${ms(
      lastPage.ms,
    )} (${result.lastPage.rowsWithAllSummaries} rows complete) |`,
    `| Status page polled every 10 s | ${pageSamples.length} | | p50 ${ms(
      result.pagePolls.p50,
    )}, p99 ${ms(result.pagePolls.p99)}, ${result.pagePolls.failures} failed |`,
    `| Entity overview, first request of each hot entity | ${hotCount} | | ${result.entityOverview.first.join(
      ', ',
    )} ms |`,
    `| Entity overview warm (after the first minute) | ${warmEntity.length} | ${
      result.entityOverview.bytes
    } | p50 ${ms(result.entityOverview.warmP50)}, p99 ${ms(
      result.entityOverview.warmP99,
    )}, ${result.entityOverview.failures} failed |`,
  );
  const report = lines.join('\n');
  fs.writeFileSync(path.join(outDir, 'result.md'), `${report}\n`);
  console.log(report);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'fill') await fill(args[0], Number(args[1]));
else if (command === 'catalog') catalog(args[0], Number(args[1]));
else if (command === 'wait-catalog')
  await waitCatalog(args[0], Number(args[1]));
else if (command === 'measure')
  await measure(args[0], args[1], Number(args[2]), args[3]);
else {
  console.error('usage: fleet.mjs fill|catalog|wait-catalog|measure ...');
  process.exit(2);
}

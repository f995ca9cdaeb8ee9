// Load on a running portal over real HTTP: the cached status of one entity
// against the catalog's own read of the same entity, side by side in one
// run, at several concurrencies, with each replica's memory before and
// after. bench/production.sh starts what it measures; run alone with
//
//   node bench/production-load.mjs BASE_URL ENTITY_REF [PIDS]
//
// e.g. node bench/production-load.mjs http://localhost:7100 component:default/devops-app 123,456
// Prints a Markdown table (and JSON on the last line).
const [baseUrl, entityRef, pidList = ''] = process.argv.slice(2);
if (!baseUrl || !entityRef) {
  console.error('usage: production-load.mjs BASE_URL ENTITY_REF [PIDS]');
  process.exit(2);
}
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,50,200')
  .split(',')
  .map(Number);
const pids = pidList ? pidList.split(',').map(Number) : [];

const [kind, rest] = entityRef.split(':');
const [namespace, name] = rest.split('/');

async function token() {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in: HTTP ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

async function memory() {
  const fs = await import('node:fs');
  return pids.map(pid => {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024);
    } catch {
      return NaN;
    }
  });
}

async function load(url, headers, concurrency, requests) {
  const latencies = [];
  let bytes = 0;
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        const body = await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!res.ok) failures += 1;
        bytes = body.byteLength;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = q =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    rps: requests / seconds,
    p50: at(0.5),
    p99: at(0.99),
    bytes,
    failures,
  };
}

const headers = { Authorization: `Bearer ${await token()}` };
// What the Environments tab asks for: the overview first (from the status
// snapshots), one environment's details when opened; and the full status
// of every environment (what the tab read before it was overview-first),
// each against the catalog's read of the same entity.
const entityPath = `${baseUrl}/api/aws-environments/entity/${namespace}/${kind}/${name}`;
const targets = {
  'status (all environments)': `${entityPath}/status`,
  overview: `${entityPath}/overview`,
  'status of one environment, no logs': `${entityPath}/status?environment=test&logs=false`,
  catalog: `${baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
};
// Warm all: the status cache, the snapshots, the catalog, connections, JIT.
for (const url of Object.values(targets)) await load(url, headers, 10, 200);

const memoryBefore = await memory();
const rows = [];
for (const concurrency of CONCURRENCY) {
  const requests = concurrency === 1 ? Math.min(300, REQUESTS) : REQUESTS;
  // Interleaved per concurrency, so all see the same machine load.
  const results = {};
  for (const [label, url] of Object.entries(targets)) {
    results[label] = await load(url, headers, concurrency, requests);
  }
  rows.push({ concurrency, requests, results });
}
const memoryAfter = await memory();

const ms = v => `${v.toFixed(1)} ms`;
console.log(
  '| Concurrent | Requests | Route | req/s | p50 | p99 | p50 / catalog p50 | Bytes |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  const catalog = r.results.catalog;
  for (const [label, v] of Object.entries(r.results)) {
    console.log(
      `| ${r.concurrency} | ${r.requests} | ${label} | ${v.rps.toFixed(
        0,
      )} | ${ms(v.p50)} | ${ms(v.p99)} | ${(v.p50 / catalog.p50).toFixed(
        2,
      )} | ${v.bytes} |`,
    );
  }
}
console.log(
  `\nFailures: ${rows
    .flatMap(r => Object.values(r.results).map(v => v.failures))
    .reduce((a, b) => a + b, 0)}`,
);
if (pids.length > 0) {
  console.log(
    `Replica RSS before: ${memoryBefore.join(
      ', ',
    )} MiB; after: ${memoryAfter.join(', ')} MiB`,
  );
}
console.log(JSON.stringify({ rows, memoryBefore, memoryAfter }));

/*
 * Synthesis time of the seed's four environments:
 *
 *   in-process   what the scaffolder action does (aws-cdk-lib already
 *                loaded after the first run; the first run includes loading)
 *   subprocess   what `cdk synth` does: start Node, load the app and
 *                aws-cdk-lib, synthesize, exit (bench/synthApp.ts)
 *
 * each with aws-cdk-lib's template validation off (the action's default)
 * and on. Run: node --require @backstage/cli/config/nodeTransform.cjs
 * packages/infra/bench/synth.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_INPUTS, SEED_BENCH_ENVIRONMENTS } from './seed';

const runs = Number(process.argv[2] ?? 5);
const scratch = mkdtempSync(join(tmpdir(), 'infra-bench-'));
let counter = 0;
const outdir = () => join(scratch, String(counter++));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function inProcess(validate: boolean) {
  const loadStart = performance.now();
  // Loaded lazily so that the first measurement includes aws-cdk-lib.
  const { synthesizeEnvironments } =
    require('../src') as typeof import('../src');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    synthesizeEnvironments(BENCH_INPUTS, SEED_BENCH_ENVIRONMENTS, {
      outdir: outdir(),
      validate,
    });
    times.push(performance.now() - (i === 0 ? loadStart : start));
  }
  return { first: times[0], warm: median(times.slice(1)) };
}

function subprocess(validate: boolean) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        join(__dirname, 'synthApp.ts'),
        outdir(),
        validate ? 'validate' : '',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new Error(`synthApp failed: ${result.stderr}`);
    }
    times.push(performance.now() - start);
  }
  return { median: median(times) };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
try {
  const rows: string[] = [];
  for (const validate of [false, true]) {
    const inproc = inProcess(validate);
    const sub = subprocess(validate);
    rows.push(
      `| ${validate ? 'on' : 'off'} | ${fmt(inproc.first)} | ${fmt(
        inproc.warm,
      )} | ${fmt(sub.median)} |`,
    );
  }
  console.log(
    `Synthesis of 4 environments (${runs} runs each, medians; node ${process.version})\n`,
  );
  console.log(
    '| validation | in-process, first (incl. loading aws-cdk-lib) | in-process, warm | separate process (like cdk synth) |',
  );
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/*
 * Benchmark of the plugin's weight in the app's frontend bundle (not a test):
 *
 *   yarn workspace @envplane/plugin-aws-environments bench        # builds the app first (~1 min)
 *   node bench/bundleSize.mjs --no-build                          # measures the existing packages/app/dist
 *
 * Builds the app (`yarn workspace app build`, which writes the git-ignored
 * packages/app/dist), then reports the size, raw and gzipped (node:zlib,
 * level 9), of
 *
 *   - the initial JS: the scripts packages/app/dist/index.html loads (and
 *     any JS it preloads);
 *   - the chunks that hold this plugin's code, found by string literals
 *     that only its sources (plugins/aws-environments/src) or recharts
 *     contain; the minifier keeps string literals as they are. The plugin's
 *     registration (extensions, API client) is meant to be in the initial
 *     JS, inside a chunk shared with the app's own code.
 *
 * and whether any of those literals is in the initial JS: the Environments
 * tab, the status page and the charts are loaded on first use
 * (`loader: () => import(...)` in src/alpha.tsx).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const dist = join(repoRoot, 'packages/app/dist');

/** Literals only one part of the plugin (or recharts) contains. */
const MARKERS = [
  {
    part: 'Plugin registration (alpha.tsx: extensions, API client)',
    literals: ['system-environments'],
  },
  {
    part: 'Environments tab (EntityAwsEnvironmentsContent, EnvironmentSection)',
    literals: [
      'Latest service events',
      'CPU and memory utilization',
      'No running or recently stopped tasks.',
    ],
  },
  {
    part: 'Status page (EnvironmentStatusPage)',
    literals: ['Services by environment'],
  },
  {
    part: 'Environment grid (status page, System card)',
    literals: ['Promotions could not be read'],
  },
  {
    part: 'recharts',
    literals: ['recharts-wrapper', 'recharts-cartesian-grid'],
  },
];

function listFiles(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function sizes(files) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(file);
    raw += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { raw, gzip };
}

const kb = bytes => `${(bytes / 1024).toFixed(1)} KB`;

function build() {
  const started = Date.now();
  const result = spawnSync('yarn', ['workspace', 'app', 'build'], {
    cwd: repoRoot,
    // The build's own output goes to stderr; stdout is the report.
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    throw new Error(`yarn workspace app build exited with ${result.status}`);
  }
  return (Date.now() - started) / 1000;
}

function main() {
  const buildSeconds = process.argv.includes('--no-build')
    ? undefined
    : build();
  const indexHtml = join(dist, 'index.html');
  if (!existsSync(indexHtml)) {
    throw new Error(`${indexHtml} is missing; build the app first`);
  }
  const html = readFileSync(indexHtml, 'utf8');
  const jsFiles = listFiles(dist).filter(f => f.endsWith('.js'));
  const byName = new Map(jsFiles.map(f => [basename(f), f]));

  const referenced = [
    ...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link\b[^>]*\bhref="([^"]+\.js)"/g),
  ].map(m => basename(m[1].split('?')[0]));
  const initial = [...new Set(referenced)].map(name => {
    const file = byName.get(name);
    if (!file) throw new Error(`index.html loads ${name}, not found in dist`);
    return file;
  });
  const initialSet = new Set(initial);
  const contents = new Map(jsFiles.map(f => [f, readFileSync(f, 'utf8')]));

  const all = sizes(jsFiles);
  const init = sizes(initial);
  const lines = [];
  lines.push(`Node ${process.version}, ${new Date().toISOString()}`);
  if (buildSeconds !== undefined) {
    lines.push(`yarn workspace app build: ${buildSeconds.toFixed(0)} s`);
  }
  lines.push(
    '',
    `All JS in packages/app/dist: ${jsFiles.length} files, ${kb(
      all.raw,
    )} raw, ${kb(all.gzip)} gzip`,
    `Initial JS (loaded by index.html): ${initial.length} files, ${kb(
      init.raw,
    )} raw, ${kb(init.gzip)} gzip`,
    ...initial.map(f => {
      const s = sizes([f]);
      return `  ${relative(dist, f)}: ${kb(s.raw)} raw, ${kb(s.gzip)} gzip`;
    }),
    '',
    '| Part | Literals found | Chunks | In initial JS | Raw | Gzip |',
    '|---|---|---|---|---|---|',
  );

  const lazyPluginChunks = new Set();
  for (const { part, literals } of MARKERS) {
    const chunks = jsFiles.filter(f =>
      literals.some(l => contents.get(f).includes(l)),
    );
    const found = literals.filter(l =>
      chunks.some(f => contents.get(f).includes(l)),
    );
    const inInitial = chunks.filter(f => initialSet.has(f));
    for (const f of chunks) {
      if (!initialSet.has(f)) lazyPluginChunks.add(f);
    }
    const s = sizes(chunks);
    lines.push(
      `| ${part} | ${found.length}/${literals.length} | ${
        chunks.map(f => relative(dist, f)).join(', ') || 'none'
      } | ${inInitial.length > 0 ? 'yes' : 'no'} | ${kb(s.raw)} | ${kb(
        s.gzip,
      )} |`,
    );
  }
  const lazy = sizes([...lazyPluginChunks]);
  lines.push(
    '',
    `Lazily loaded chunks holding the plugin's tab, page and charts: ${
      lazyPluginChunks.size
    } files, ${kb(lazy.raw)} raw, ${kb(lazy.gzip)} gzip (${(
      (100 * lazy.gzip) /
      init.gzip
    ).toFixed(1)}% of the initial JS, gzip)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();

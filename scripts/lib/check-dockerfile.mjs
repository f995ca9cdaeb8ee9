// Checks that every file packages/backend/Dockerfile copies from the build
// context (the repository root) exists, after `yarn build:backend`. Images
// are not built here (no container daemon), so this is what keeps the
// Dockerfile from silently rotting when a file moves.
//
//   node scripts/lib/check-dockerfile.mjs [Dockerfile]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
const dockerfile =
  process.argv[2] ?? path.join(root, 'packages/backend/Dockerfile');

// Joins continuation lines, drops comments: one instruction per entry.
function instructions(text) {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line && !line.startsWith('#'));
}

const copies = instructions(fs.readFileSync(dockerfile, 'utf8'))
  .filter(line => /^(COPY|ADD)\s/i.test(line))
  .map(line => line.split(/\s+/).slice(1))
  .filter(args => !args.some(a => a.startsWith('--from=')))
  .map(args => args.filter(a => !a.startsWith('--')));

if (copies.length === 0) {
  console.error(`${dockerfile}: no COPY instructions found`);
  process.exit(1);
}

const missing = [];
let checked = 0;
for (const args of copies) {
  for (const source of args.slice(0, -1)) {
    checked += 1;
    if (!fs.existsSync(path.join(root, source))) missing.push(source);
  }
}

if (missing.length > 0) {
  console.error(
    `${path.relative(
      root,
      dockerfile,
    )} copies files that do not exist (run yarn tsc && yarn build:backend first):\n` +
      missing.map(m => `  ${m}`).join('\n'),
  );
  process.exit(1);
}
console.log(
  `${path.relative(root, dockerfile)}: all ${checked} copied paths exist`,
);

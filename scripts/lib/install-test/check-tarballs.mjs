// Checks each packed tarball as npm would publish it, and leaves its
// package.json next to it (NAME.tgz.package.json) for wire-app.mjs:
//
//   node check-tarballs.mjs TARBALL_DIR
//
// A tarball passes when its package.json names no `workspace:` range and no
// private @internal/ package, main/module/types and every export exist in
// it, it carries the publish metadata, and it holds nothing but what a
// portal needs at run time (no sources, tests or fixtures).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const ALLOWED = [
  /^package\/package\.json$/,
  /^package\/README\.md$/,
  /^package\/CHANGELOG\.md$/,
  /^package\/config\.schema\.json$/,
  /^package\/dist\/.+\.(?:js|d\.ts|js\.map)$/,
  /^package\/migrations\/[\w.-]+\.js$/,
  /^package\/templates\/.+\.yaml$/,
];
const FORBIDDEN = /(?:\.test\.|__fixtures__|__mocks__|setupTests|\/src\/)/;
const DEP_FIELDS = [
  'dependencies',
  'devDependencies',
  'peerDependencies',
  'optionalDependencies',
];

let failures = 0;
const fail = (tarball, message) => {
  failures++;
  console.error(`FAIL ${tarball}: ${message}`);
};

const tarballs = fs.readdirSync(dir).filter(f => f.endsWith('.tgz'));
if (tarballs.length === 0) fail(dir, 'no tarballs');
for (const tarball of tarballs) {
  const file = path.join(dir, tarball);
  const entries = execFileSync('tar', ['tzf', file], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const pkgText = execFileSync('tar', ['xzOf', file, 'package/package.json'], {
    encoding: 'utf8',
  });
  fs.writeFileSync(`${file}.package.json`, pkgText);
  const pkg = JSON.parse(pkgText);
  const has = rel => entries.includes(`package/${rel.replace(/^\.\//, '')}`);

  for (const field of DEP_FIELDS) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (String(range).startsWith('workspace:'))
        fail(tarball, `${field}.${name} is ${range}`);
      if (name.startsWith('@internal/'))
        fail(tarball, `${field} names the private ${name}`);
    }
  }
  for (const key of ['main', 'types', 'module']) {
    if (key !== 'module' && !pkg[key]) fail(tarball, `no "${key}"`);
    if (pkg[key] && !has(pkg[key]))
      fail(tarball, `"${key}": ${pkg[key]} is not in the tarball`);
  }
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const targets =
      typeof target === 'string'
        ? [target]
        : Object.entries(target)
            .filter(([k]) => k !== 'backstage')
            .map(([, v]) => v);
    for (const t of targets)
      if (!has(t))
        fail(tarball, `export "${subpath}" → ${t} is not in the tarball`);
  }
  if (pkg.private) fail(tarball, 'is private');
  if (pkg.publishConfig?.access !== 'public')
    fail(tarball, 'publishConfig.access is not "public"');
  for (const key of [
    'license',
    'repository',
    'homepage',
    'keywords',
    'description',
  ]) {
    if (!pkg[key]) fail(tarball, `no "${key}"`);
  }
  if (!pkg.backstage?.role) fail(tarball, 'no backstage.role');
  for (const entry of entries.filter(e => !e.endsWith('/'))) {
    if (FORBIDDEN.test(entry) || !ALLOWED.some(re => re.test(entry))) {
      fail(tarball, `carries ${entry}`);
    }
  }
  console.log(
    `ok   ${tarball}: ${entries.length} files, ${(
      fs.statSync(file).size / 1024
    ).toFixed(0)} KB`,
  );
}
process.exit(failures ? 1 : 0);

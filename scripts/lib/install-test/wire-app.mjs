// Wires our packages into a newly created Backstage app exactly as the
// plugin READMEs say (their `<!-- install-test -->` blocks), with the packed
// tarballs standing in for the npm registry:
//
//   node wire-app.mjs APP_DIR TARBALL_DIR README...
//
// - `yarn --cwd DIR add PKG...` lines add "PKG": "^VERSION" to DIR's
//   package.json, which is what yarn add writes; the root package.json's
//   resolutions point every @envplane package at its tarball (`file:`), as a
//   registry would serve them. Nothing links back into this repository.
// - `// packages/backend/src/index.ts` blocks go in before backend.start().
// - `# app-config.yaml` blocks are merged into app-config.yaml (maps merged,
//   lists appended).
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { installBlocks } from './readme-blocks.mjs';

const [appDir, tarballDir, ...readmes] = process.argv.slice(2);
const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

// name -> { version, tarball } from the packed package.json files
const packed = new Map();
for (const name of fs.readdirSync(tarballDir).filter(f => f.endsWith('.tgz'))) {
  const tarball = path.resolve(tarballDir, name);
  const manifest = JSON.parse(
    fs.readFileSync(path.join(tarballDir, `${name}.package.json`), 'utf8'),
  );
  packed.set(manifest.name, { version: manifest.version, tarball });
}

function addDependencies(dir, names, where) {
  const file = path.join(appDir, dir, 'package.json');
  const pkg = readJson(file);
  for (const name of names) {
    const found = packed.get(name);
    if (!found)
      throw new Error(`${where}: ${name} is not one of the packed packages`);
    pkg.dependencies = { ...pkg.dependencies, [name]: `^${found.version}` };
  }
  writeJson(file, pkg);
}

function merge(into, from) {
  for (const [key, value] of Object.entries(from)) {
    const current = into[key];
    if (Array.isArray(current) && Array.isArray(value))
      into[key] = [...current, ...value];
    else if (isMap(current) && isMap(value)) merge(current, value);
    else into[key] = value;
  }
  return into;
}
const isMap = v => v !== null && typeof v === 'object' && !Array.isArray(v);

const applied = [];
for (const readme of readmes) {
  for (const block of installBlocks(readme)) {
    const where = `${path.relative(process.cwd(), block.file)}:${block.line}`;
    if (block.lang === 'sh' && !block.target) {
      for (const line of block.body.filter(l => l.trim())) {
        const m = line.match(
          /^yarn --cwd (\S+) add ((?:@[\w-]+\/[\w-]+\s*)+)$/,
        );
        if (!m)
          throw new Error(
            `${where}: not a "yarn --cwd DIR add PKG" line: ${line}`,
          );
        addDependencies(m[1], m[2].trim().split(/\s+/), where);
      }
    } else if (block.target === 'packages/backend/src/index.ts') {
      const file = path.join(appDir, block.target);
      const source = fs.readFileSync(file, 'utf8');
      if (!source.includes('backend.start();'))
        throw new Error(`${file}: no backend.start()`);
      fs.writeFileSync(
        file,
        source.replace(
          'backend.start();',
          `${block.body.join('\n')}\n\nbackend.start();`,
        ),
      );
    } else if (block.target === 'app-config.yaml') {
      const file = path.join(appDir, 'app-config.yaml');
      const config = parse(fs.readFileSync(file, 'utf8'));
      fs.writeFileSync(
        file,
        stringify(merge(config, parse(block.body.join('\n')))),
      );
    } else {
      throw new Error(
        `${where}: no rule to apply a ${block.lang} block for ${
          block.target ?? 'the shell'
        }`,
      );
    }
    applied.push(`${where} (${block.target ?? block.lang})`);
  }
}

// The stand-in for the registry.
const rootFile = path.join(appDir, 'package.json');
const root = readJson(rootFile);
root.resolutions = { ...root.resolutions };
for (const [name, { tarball }] of packed)
  root.resolutions[name] = `file:${tarball}`;
writeJson(rootFile, root);

console.log(
  `applied ${applied.length} README blocks:\n  ${applied.join('\n  ')}`,
);

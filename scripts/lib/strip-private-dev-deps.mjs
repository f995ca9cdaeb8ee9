// Run by each published package's prepack, after `backstage-cli package
// prepack`: drops devDependencies on this repository's private workspace
// packages (@internal/*, e.g. the AWS sandbox the tests run against), which
// exist on no registry. postpack restores the package.json from the backup
// that backstage-cli made, so the workspace keeps them.
import fs from 'node:fs';

const file = 'package.json';
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
for (const name of Object.keys(pkg.devDependencies ?? {})) {
  if (name.startsWith('@internal/')) delete pkg.devDependencies[name];
}
fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);

// Prints the directory of every workspace package that is published (not
// private), one per line, relative to the repository root.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
for (const group of ['packages', 'plugins']) {
  for (const name of fs.readdirSync(path.join(root, group)).sort()) {
    const file = path.join(root, group, name, 'package.json');
    if (
      fs.existsSync(file) &&
      !JSON.parse(fs.readFileSync(file, 'utf8')).private
    ) {
      console.log(`${group}/${name}`);
    }
  }
}

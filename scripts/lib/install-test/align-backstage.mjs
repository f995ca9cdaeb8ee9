// Puts the new app on the Backstage release our reference portal runs:
// every @backstage/* dependency that the app and our portal share (root,
// packages/app, packages/backend) takes our portal's range, and our
// yarn.lock becomes the app's lockfile seed. create-app would fetch a seed
// for its release from GitHub, which this network cannot reach; without
// one, yarn mixes releases (plugin-signals-backend then fails at startup
// with "httpRouter.addWebSocketHandler is not a function"). The app also
// takes our root dependenciesMeta, which skips building native addons that
// no portal process loads (ssh2's optional bindings, keytar, tree-sitter),
// a minute of every install on two cores.
//
//   node align-backstage.mjs APP_DIR
import fs from 'node:fs';
import path from 'node:path';

const appDir = process.argv[2];
const root = path.resolve(import.meta.dirname, '../../..');
const FIELDS = ['dependencies', 'devDependencies'];
let aligned = 0;

for (const dir of ['.', 'packages/app', 'packages/backend']) {
  const read = base =>
    JSON.parse(fs.readFileSync(path.join(base, dir, 'package.json'), 'utf8'));
  const ours = read(root);
  const theirs = read(appDir);
  const ourRanges = Object.assign({}, ...FIELDS.map(f => ours[f] ?? {}));
  for (const field of FIELDS) {
    for (const name of Object.keys(theirs[field] ?? {})) {
      if (name.startsWith('@backstage/') && ourRanges[name]) {
        theirs[field][name] = ourRanges[name];
        aligned++;
      }
    }
  }
  if (dir === '.') theirs.dependenciesMeta = ours.dependenciesMeta;
  fs.writeFileSync(
    path.join(appDir, dir, 'package.json'),
    `${JSON.stringify(theirs, null, 2)}\n`,
  );
}
fs.copyFileSync(path.join(root, 'yarn.lock'), path.join(appDir, 'yarn.lock'));
console.log(`aligned ${aligned} @backstage/* ranges with the reference portal`);

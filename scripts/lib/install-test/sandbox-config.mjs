// Points the new app's environments at the AWS sandbox: writes its
// app-config.local.yaml (which `yarn start` loads after app-config.yaml)
// with this repository's local environments, all in the sandbox's account
// 000000000000, and short catalog and cache intervals so the test sees a
// new project within seconds. The README blocks hold what a user writes
// for real accounts; this file is the test's only deviation from them.
//
//   node sandbox-config.mjs APP_DIR
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';

const appDir = process.argv[2];
const root = path.resolve(import.meta.dirname, '../../..');
const ours = parse(fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'));

const local = {
  catalog: { providers: { awsEnvironments: { frequencySeconds: 5 } } },
  awsEnvironments: {
    environments: ours.awsEnvironments.environments,
    status: { cacheTtlSeconds: 2 },
  },
};
fs.writeFileSync(
  path.join(appDir, 'app-config.local.yaml'),
  `# Written by the install test: the AWS sandbox's account.\n${stringify(
    local,
  )}`,
);

// Provisions the seed's own project, devops-app, into its four environments
// through the portal itself: a scaffolder task of the aws-service-environments
// template started over the scaffolder's REST API, so the demo runs the
// same action code as the wizard. Skips when the stacks already exist (the
// sandbox keeps its state), so it happens once per machine. The install
// test provisions its own project into fewer environments the same way.
//
//   node scripts/lib/provision-demo.mjs [backendUrl [project [env,env,... [owner]]]]
import {
  CloudFormationClient,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';

const LIVE = /_COMPLETE$/;

async function existingStacks(PROJECT, ENVIRONMENTS) {
  const cfn = new CloudFormationClient({});
  const found = [];
  for (const env of ENVIRONMENTS) {
    try {
      const { Stacks } = await cfn.send(
        new DescribeStacksCommand({ StackName: `${PROJECT}-${env}` }),
      );
      const status = Stacks?.[0]?.StackStatus ?? '';
      if (
        LIVE.test(status) &&
        !status.startsWith('ROLLBACK') &&
        !status.startsWith('DELETE')
      ) {
        found.push(env);
      }
    } catch {
      // does not exist
    }
  }
  return found;
}

async function guestToken(backendUrl) {
  const res = await fetch(`${backendUrl}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

async function waitForTemplate(backendUrl, headers) {
  const url = `${backendUrl}/api/catalog/entities/by-name/template/default/aws-service-environments`;
  for (let i = 0; i < 120; i++) {
    const res = await fetch(url, { headers });
    if (res.ok) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    'the aws-service-environments template never reached the catalog',
  );
}

export async function provisionDemo({
  backendUrl = 'http://localhost:7007',
  project: PROJECT = 'devops-app',
  environments: ENVIRONMENTS = ['test', 'qa', 'staging', 'prod'],
  owner: OWNER = 'group:default/devops-team',
  log = console.log,
} = {}) {
  const present = await existingStacks(PROJECT, ENVIRONMENTS);
  if (present.length === ENVIRONMENTS.length) {
    log(`demo: ${PROJECT} is already provisioned in ${present.join(', ')}`);
    return;
  }
  const headers = {
    Authorization: `Bearer ${await guestToken(backendUrl)}`,
    'Content-Type': 'application/json',
  };
  await waitForTemplate(backendUrl, headers);
  log(
    `demo: provisioning ${PROJECT} into ${ENVIRONMENTS.join(
      ', ',
    )} through the scaffolder`,
  );
  const created = await fetch(`${backendUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      templateRef: 'template:default/aws-service-environments',
      values: {
        project: PROJECT,
        owner: OWNER,
        description: "The seed's Flask app (ARCHITECTURE.md)",
        environments: ENVIRONMENTS,
        image: 'public.ecr.aws/docker/library/python:3.12-slim',
        desiredCount: 2,
        minCapacity: 1,
        maxCapacity: 10,
        loadBalancer: false,
        confirmProd: ENVIRONMENTS.includes('prod'),
      },
    }),
  });
  if (!created.ok) {
    throw new Error(
      `could not start the task: ${created.status} ${await created.text()}`,
    );
  }
  const { id } = await created.json();
  let after;
  for (;;) {
    const events = await fetch(
      `${backendUrl}/api/scaffolder/v2/tasks/${id}/events${
        after !== undefined ? `?after=${after}` : ''
      }`,
      { headers },
    ).then(r => r.json());
    for (const e of events) {
      after = e.id;
      // The task log carries the console's colour codes; a terminal line
      // needs none, nor every resource event (the task page has them all).
      const message = e.body?.message?.replace(/\x1b\[[0-9;]*m/g, '');
      if (message && !/resource \d+ of \d+/.test(message)) {
        log(`demo:   ${message}`);
      }
    }
    const task = await fetch(`${backendUrl}/api/scaffolder/v2/tasks/${id}`, {
      headers,
    }).then(r => r.json());
    if (task.status === 'completed') {
      log(`demo: ${PROJECT} provisioned (task ${id})`);
      return;
    }
    if (task.status === 'failed' || task.status === 'cancelled') {
      throw new Error(
        `demo provisioning ${task.status}: see task ${id} in the portal`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [backendUrl, project, environments, owner] = process.argv.slice(2);
  provisionDemo({
    backendUrl,
    project,
    environments: environments?.split(','),
    owner,
  }).catch(error => {
    console.error(`demo: ${error.message}`);
    process.exit(1);
  });
}

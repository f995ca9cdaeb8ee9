import { APIRequestContext } from '@playwright/test';
import { test, expect, signInAsGuest } from './fixtures';
import {
  clearFault,
  deleteParameter,
  deleteStack,
  describeStack,
  injectFault,
  parameterType,
} from './sandbox';

/*
 * The end-to-end test, through the scaffolder's REST API as any
 * client (or scripts/lib/provision-demo.mjs) would use it, against the
 * running portal and the AWS sandbox: a fresh project in two environments,
 * a second run that updates in place, and a run that fails in
 * CloudFormation. Project names are new on every run because the sandbox
 * keeps its state between runs of the portal.
 */
const backendUrl = 'http://localhost:7007';
const suffix = Date.now().toString(36).slice(-5);
const PROJECT = `rest-api-${suffix}`;
const FAILING = `rest-fail-${suffix}`;
const ENVIRONMENTS = ['test', 'qa'];
const IMAGE = 'public.ecr.aws/docker/library/python:3.12-slim';
const NEW_IMAGE = 'public.ecr.aws/docker/library/python:3.13-slim';
// Given as the task secret: it must reach SSM but never the task log.
const SECRET = `e2e-canary-${suffix}-7c1d`;
const FAULT_MESSAGE = 'Simulated: e2e service limit exceeded';

interface Task {
  id: string;
  status: string;
  log: string;
  /** The template's rendered `output`, from the completion event. */
  output?: { text?: Array<{ title: string; content: string }> };
}

async function guestHeaders(api: APIRequestContext) {
  const res = await api.get(`${backendUrl}/api/auth/guest/refresh`);
  expect(res.ok()).toBeTruthy();
  const token = (await res.json()).backstageIdentity.token as string;
  return { Authorization: `Bearer ${token}` };
}

/** Starts the template as the wizard would and waits for the task to end. */
async function runTemplate(
  api: APIRequestContext,
  values: Record<string, unknown>,
): Promise<Task> {
  const headers = await guestHeaders(api);
  const created = await api.post(`${backendUrl}/api/scaffolder/v2/tasks`, {
    headers,
    data: {
      templateRef: 'template:default/aws-service-environments',
      values: {
        owner: 'group:default/devops-team',
        description: 'Made by the REST API end-to-end test',
        image: IMAGE,
        desiredCount: 1,
        minCapacity: 1,
        maxCapacity: 10,
        loadBalancer: false,
        ...values,
      },
      secrets: { appSecret: SECRET },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  let status = '';
  await expect
    .poll(
      async () => {
        const res = await api.get(
          `${backendUrl}/api/scaffolder/v2/tasks/${id}`,
          {
            headers,
          },
        );
        status = (await res.json()).status;
        return ['completed', 'failed', 'cancelled'].includes(status);
      },
      { timeout: 200_000, intervals: [1000] },
    )
    .toBe(true);
  const events = await (
    await api.get(`${backendUrl}/api/scaffolder/v2/tasks/${id}/events`, {
      headers,
    })
  ).json();
  const typed = events as Array<{
    type: string;
    body?: { message?: string; error?: { message?: string }; output?: any };
  }>;
  const log = typed
    .flatMap(e => [e.body?.message, e.body?.error?.message])
    .filter(Boolean)
    .join('\n');
  const output = typed.find(e => e.type === 'completion')?.body?.output;
  return { id, status, log, output };
}

async function catalogEntity(api: APIRequestContext, ref: string) {
  const [kind, name] = ref.split(':');
  const res = await api.get(
    `${backendUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
    { headers: await guestHeaders(api) },
  );
  return res.ok() ? res.json() : undefined;
}

test.describe('provisioning through the scaffolder REST API', () => {
  test.describe.configure({ mode: 'serial' });

  const faults: string[] = [];
  test.afterAll(async () => {
    for (const id of faults) await clearFault(id);
    // Other tests see the catalog and the status page: leave them as found.
    for (const project of [PROJECT, FAILING]) {
      for (const env of ENVIRONMENTS) {
        if (await describeStack(`${project}-${env}`)) {
          await deleteStack(`${project}-${env}`);
        }
        await deleteParameter(`/${project}/${env}/app-secret`);
      }
    }
  });

  test('two environments reach CREATE_COMPLETE with their SecureStrings and catalog entities', async ({
    request,
  }) => {
    test.setTimeout(300_000);
    const task = await runTemplate(request, {
      project: PROJECT,
      environments: ENVIRONMENTS,
    });
    expect(task.status, task.log).toBe('completed');
    expect(task.log).toContain(`${PROJECT}-test CREATE_COMPLETE`);
    expect(task.log).toContain(`${PROJECT}-qa CREATE_COMPLETE`);
    expect(task.log).not.toContain(SECRET);
    // The console links, in the log and in the template's output text.
    const output = task.output?.text?.map(t => t.content).join('\n');
    for (const env of ENVIRONMENTS) {
      const serviceUrl = `https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/${PROJECT}-${env}-ecs-cluster/services/${PROJECT}-${env}-service?region=us-east-1`;
      expect(task.log).toContain(`${env}: ECS service ${serviceUrl}`);
      expect(output).toContain(`- [${env}: ECS service](${serviceUrl})`);
      expect(output).toMatch(
        new RegExp(
          `- \\[${env}: CloudFormation stack\\]\\(https://\\S+stackId=${PROJECT}-${env}\\)`,
        ),
      );
    }

    for (const env of ENVIRONMENTS) {
      const stack = await describeStack(`${PROJECT}-${env}`);
      expect(stack?.status).toBe('CREATE_COMPLETE');
      expect(stack?.parameters.ImageUri).toBe(IMAGE);
      expect(await parameterType(`/${PROJECT}/${env}/app-secret`)).toBe(
        'SecureString',
      );
    }

    // The entity provider runs every 5 s in the test portal (scripts/test).
    await expect
      .poll(
        async () =>
          (
            await Promise.all(
              [
                `system:${PROJECT}`,
                `component:${PROJECT}`,
                ...ENVIRONMENTS.map(env => `resource:${PROJECT}-${env}`),
              ].map(ref => catalogEntity(request, ref)),
            )
          ).every(Boolean),
        { timeout: 60_000, intervals: [2000] },
      )
      .toBe(true);
    const component = await catalogEntity(request, `component:${PROJECT}`);
    expect(component.spec.system).toBe(`system:default/${PROJECT}`);
    expect(component.spec.owner).toBe('group:default/devops-team');
    const related = (component.relations as Array<any>)
      .filter(r => r.type === 'dependsOn')
      .map(r => r.targetRef)
      .sort();
    expect(related).toEqual([
      `resource:default/${PROJECT}-qa`,
      `resource:default/${PROJECT}-test`,
    ]);
    const resource = await catalogEntity(request, `resource:${PROJECT}-qa`);
    expect(resource.spec.type).toBe('aws-environment');
    expect(
      resource.metadata.annotations['aws-environments.io/stack-name'],
    ).toBe(`${PROJECT}-qa`);
  });

  test('a second run with another image updates the same stacks in place', async ({
    request,
  }) => {
    test.setTimeout(300_000);
    const before = await Promise.all(
      ENVIRONMENTS.map(env => describeStack(`${PROJECT}-${env}`)),
    );
    expect(before.every(Boolean)).toBe(true);

    const task = await runTemplate(request, {
      project: PROJECT,
      environments: ENVIRONMENTS,
      image: NEW_IMAGE,
    });
    expect(task.status, task.log).toBe('completed');
    expect(task.log).not.toContain(SECRET);

    for (const [index, env] of ENVIRONMENTS.entries()) {
      const after = await describeStack(`${PROJECT}-${env}`);
      expect(after?.stackId).toBe(before[index]!.stackId);
      expect(after?.status).toBe('UPDATE_COMPLETE');
      expect(after?.parameters.ImageUri).toBe(NEW_IMAGE);
    }
  });

  test('a resource failure fails the task with its reason, rolls the stack back and leaves no SecureString', async ({
    request,
    page,
  }) => {
    test.setTimeout(300_000);
    faults.push(
      await injectFault({
        type: 'resourceFailure',
        stackName: `${FAILING}-test`,
        resourceType: 'AWS::ECS::Service',
        message: FAULT_MESSAGE,
      }),
    );

    const task = await runTemplate(request, {
      project: FAILING,
      environments: ['test'],
    });
    expect(task.status, task.log).toBe('failed');
    expect(task.log).toMatch(
      new RegExp(`\\(AWS::ECS::Service\\) CREATE_FAILED: ${FAULT_MESSAGE}`),
    );
    // The parameter's name in full: the template passes no task secret
    // through an input, so the scaffolder redacts the secret's value only
    // (it used to redact the input's name too, "secret" included).
    expect(task.log).toContain(
      `removed /${FAILING}/test/app-secret, which this run had created`,
    );
    expect(task.log).not.toContain('app-***');
    expect(task.log).not.toContain(SECRET);

    // A failed create rolls back to ROLLBACK_COMPLETE; CloudFormation (and
    // the CDK toolkit on a later deploy) may also delete such a stack.
    const stack = await describeStack(`${FAILING}-test`);
    expect([undefined, 'ROLLBACK_COMPLETE']).toContain(stack?.status);
    expect(await parameterType(`/${FAILING}/test/app-secret`)).toBeUndefined();

    // The user sees the same reason on the task page.
    await signInAsGuest(page);
    await page.goto(`/create/tasks/${task.id}`);
    await expect(page.getByText(FAULT_MESSAGE).first()).toBeVisible();
  });
});

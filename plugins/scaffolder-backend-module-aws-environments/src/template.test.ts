import { ConfigReader } from '@backstage/config';
import {
  AwsEnvironmentConfig,
  environmentResourceNames,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
// What the scaffolder validates the form's values with, on task creation.
import { validate, ValidationError } from 'jsonschema';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { protectedEnvironmentNames } from './config';
import {
  IMAGE_REFERENCE,
  parseProvisionInput,
  provisionInputFields,
} from './inputs';
import { pickSecret } from './provisioning/appSecret';

/*
 * The wizard's environment choices are written out in the template (the
 * scaffolder's JSON schema form cannot read app-config), so they can drift
 * from `awsEnvironments`. This pins them to the shipped app-config.yaml:
 * same names in the same (promotion) order, and labels that show each
 * environment's real CIDR and promotion policy.
 */
const root = resolve(__dirname, '../../..');
const pkg = resolve(__dirname, '..');
const readYaml = (path: string) =>
  parse(readFileSync(resolve(root, path), 'utf8'));

function label(environment: AwsEnvironmentConfig): string {
  const { trigger, reviewRequired } = environment.promotion;
  const policy = `${trigger === 'auto' ? 'automatic' : 'manual'} promotion${
    reviewRequired ? ', review required' : ''
  }`;
  return `${environment.name} — ${environment.vpcCidr} — ${policy}`;
}

const template = parse(
  readFileSync(
    resolve(pkg, 'templates/aws-service-environments/template.yaml'),
    'utf8',
  ),
);
const configured = readAwsEnvironments(
  new ConfigReader(readYaml('app-config.yaml')),
);
const pages: any[] = template.spec.parameters;
const provisionStep = template.spec.steps.find(
  (step: any) => step.action === 'aws:environments:provision',
);

describe('templates/aws-service-environments/template.yaml', () => {
  const field = pages.map(page => page.properties?.environments).find(Boolean);

  it('reads the four environments from app-config.yaml', () => {
    // Guards the test itself: an empty config would make the rest vacuous.
    expect(configured.map(e => e.name)).toEqual([
      'test',
      'qa',
      'staging',
      'prod',
    ]);
  });

  it('offers the configured environments, in promotion order', () => {
    expect(field.items.enum).toEqual(configured.map(e => e.name));
    expect(field.uniqueItems).toBe(true);
    expect(field.items.enum).toEqual(expect.arrayContaining(field.default));
  });

  it("shows each environment's CIDR and promotion policy as configured", () => {
    expect(field.items.enumNames).toEqual(configured.map(label));
  });
});

/*
 * The form refuses before submission what the provision action would
 * refuse: the values below go through the template's parameter schemas as
 * the scaffolder checks them when a task is created (each page's schema
 * against all values, with jsonschema), and through the action's own
 * parsing of the input the template's step renders from them. Both must
 * give the same verdict.
 */
describe('the form refuses what the action refuses', () => {
  const protectedNames = protectedEnvironmentNames(configured);

  /** The values the wizard sends for a valid run into test. */
  const WIZARD = {
    project: 'devops-app',
    owner: 'group:default/devops-team',
    description: 'Made by the template test',
    environments: ['test'],
    image: 'public.ecr.aws/docker/library/python:3.12-slim',
    containerPort: 5000,
    taskSize: '0.25 vCPU / 512 MB (Fargate, awsvpc)',
    desiredCount: 1,
    minCapacity: 1,
    maxCapacity: 10,
    loadBalancer: false,
    // The Secret field puts as many asterisks here as were typed.
    appSecret: '************',
    confirmProd: false,
  };

  /** jsonschema's errors for the values, from every page. */
  function formErrors(values: object): ValidationError[] {
    return pages.flatMap(page => validate(values, page).errors);
  }

  /** The action's input as the template's step renders it from the values. */
  function actionInput(values: Record<string, unknown>) {
    return Object.fromEntries(
      Object.entries(provisionStep.input as Record<string, string>).flatMap(
        ([key, expression]) => {
          const name = /^\$\{\{ parameters\.(\w+) \}\}$/.exec(expression)?.[1];
          if (!name) throw new Error(`unexpected input ${key}: ${expression}`);
          // The scaffolder drops an input whose parameter is absent.
          return values[name] === undefined ? [] : [[key, values[name]]];
        },
      ),
    );
  }

  /** The action's verdict: undefined when accepted, else its message. */
  function actionError(values: Record<string, unknown>): string | undefined {
    try {
      parseProvisionInput(actionInput(values), configured, protectedNames);
      return undefined;
    } catch (error) {
      expect((error as Error).name).toBe('InputError');
      return (error as Error).message;
    }
  }

  function verdicts(values: Record<string, unknown>) {
    return {
      form: formErrors(values).length === 0,
      action: actionError(values) === undefined,
    };
  }

  it('accepts what the wizard sends for a valid run, and so does the action', () => {
    expect(formErrors(WIZARD)).toEqual([]);
    expect(actionError(WIZARD)).toBeUndefined();
    // A REST client may leave out what has a default.
    const { description, containerPort, taskSize, appSecret, ...bare } = {
      ...WIZARD,
      desiredCount: undefined,
      minCapacity: undefined,
      maxCapacity: undefined,
      loadBalancer: undefined,
      confirmProd: undefined,
    };
    expect(formErrors(bare)).toEqual([]);
    expect(actionError(bare)).toBeUndefined();
    // Prod with the confirmation, and the largest counts.
    const prod = {
      ...WIZARD,
      environments: configured.map(e => e.name),
      confirmProd: true,
      minCapacity: 10,
      desiredCount: 10,
      maxCapacity: 10,
    };
    expect(formErrors(prod)).toEqual([]);
    expect(actionError(prod)).toBeUndefined();
  });

  it.each(
    (
      [
        ['confirmProd', { environments: ['prod'] }],
        ['confirmProd', { environments: ['qa', 'prod'], confirmProd: false }],
        ['confirmProd', { environments: ['prod'], confirmProd: undefined }],
        ['project', { project: 'a-project-name-too-long' }],
        ['project', { project: 'ab' }],
        ['project', { project: 'Devops-App' }],
        ['project', { project: 'devops--app' }],
        ['project', { project: 'devops-app-' }],
        ['project', { project: undefined }],
        ['owner', { owner: 'devops-team' }],
        ['owner', { owner: 'component:default/devops-team' }],
        ['owner', { owner: 'Group:default/devops-team' }],
        ['owner', { owner: 'group:default/' }],
        ['description', { description: 'long '.repeat(101) }],
        ['environments', { environments: [] }],
        ['environments', { environments: ['dev'] }],
        ['environments', { environments: ['test', 'test'] }],
        ['image', { image: 'UPPER/case:tag' }],
        ['image', { image: 'repo:tag with space' }],
        ['image', { image: 'https://example.com/app:1' }],
        ['image', { image: 'app@sha256:123' }],
        ['image', { image: `${'a'.repeat(460)}:1.2` }],
        ['desiredCount', { desiredCount: 0 }],
        ['desiredCount', { desiredCount: 11 }],
        ['desiredCount', { desiredCount: 1.5 }],
        ['desiredCount', { minCapacity: 3, desiredCount: 2 }],
        ['desiredCount', { maxCapacity: 4, desiredCount: 5 }],
        ['maxCapacity', { minCapacity: 5, maxCapacity: 3, desiredCount: 4 }],
        ['loadBalancer', { loadBalancer: 'yes' }],
      ] as Array<[string, object]>
    ).map(
      ([name, override]) =>
        [
          name,
          JSON.stringify(override, (_k, v) => v ?? 'absent').slice(0, 60),
          override,
        ] as const,
    ),
  )('%s: %s', (name, _label, override) => {
    const values = { ...WIZARD, ...override };
    const errors = formErrors(values).map(e => e.stack);
    // Named as the scaffolder's 400 response and the form name it.
    expect(errors.join('\n')).toMatch(
      new RegExp(`instance\\.${name}\\b|requires property "${name}"`),
    );
    expect(actionError(values)).toMatch(
      new RegExp(`^Invalid input: (.*; )?${name}(\\.\\d+)?: `),
    );
  });

  it('agrees with the action on every combination of the task counts, given or left out', () => {
    const counts = [undefined, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    let accepted = 0;
    for (const minCapacity of counts) {
      for (const maxCapacity of counts) {
        for (const desiredCount of counts) {
          const values = { ...WIZARD, minCapacity, maxCapacity, desiredCount };
          const { form, action } = verdicts(values);
          if (form !== action) {
            throw new Error(
              `form ${form}, action ${action} for ${JSON.stringify({
                minCapacity,
                maxCapacity,
                desiredCount,
              })}`,
            );
          }
          if (form) accepted += 1;
        }
      }
    }
    // min <= desired <= max, with 1, 10 and min for the absent ones.
    expect(accepted).toBe(416);
  });

  it('agrees with the action on project names', () => {
    // Every string of up to four characters over letters, a digit, an
    // uppercase letter, an underscore and the dash, and some long ones.
    const alphabet = ['a', 'z', '0', '-', 'A', '_'];
    let names = [''];
    const all: string[] = [];
    for (let length = 1; length <= 4; length++) {
      names = names.flatMap(prefix => alphabet.map(c => prefix + c));
      all.push(...names);
    }
    all.push(
      'a'.repeat(20),
      'a'.repeat(21),
      `a${'-b'.repeat(9)}c`,
      'devops-app',
      'devops-app2',
      '9lives',
      'a-b--c',
      'ümlaut',
      'devops-app\n',
    );
    const disagreements = all.filter(project => {
      const { form, action } = verdicts({ ...WIZARD, project });
      return form !== action;
    });
    expect(disagreements).toEqual([]);
    const accepted = all.filter(
      project => verdicts({ ...WIZARD, project }).form,
    );
    expect(accepted).toEqual(
      expect.arrayContaining(['aaa', 'a-0z', 'devops-app', 'a'.repeat(20)]),
    );
    expect(accepted).not.toContain('a'.repeat(21));
  });

  it('agrees with the action on owners', () => {
    const owners = [
      'group:default/devops-team',
      'user:default/jane',
      'group:devops-team',
      'user:other/a/b',
      'group:a:b',
      'group::x',
      'group: x',
      'group:default/X',
      'devops-team',
      'default/devops-team',
      'Group:default/devops-team',
      'USER:jane',
      'component:default/x',
      'group:',
      'group:/x',
      'group:a/',
      'group:default/',
      ':x',
      '',
    ];
    const disagreements = owners.filter(owner => {
      const { form, action } = verdicts({ ...WIZARD, owner });
      return form !== action;
    });
    expect(disagreements).toEqual([]);
    expect(verdicts({ ...WIZARD, owner: 'group:devops-team' }).form).toBe(true);
  });

  it('agrees with the action on images', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const images = [
      'public.ecr.aws/docker/library/python:3.12-slim',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3',
      'nginx',
      'nginx:latest',
      `localhost:5000/team/app@${digest}`,
      'localhost/app',
      'LOCALHOST/app',
      'ghcr.io/org/my_app:v1',
      'Registry.Example.com/app',
      'registry:5000/app',
      'Team/app',
      'team/App',
      'a__b/c-d---e/f.g:TAG_1',
      'app:',
      'app@sha256:123',
      `app@${digest}`,
      `app:${'t'.repeat(128)}`,
      `app:${'t'.repeat(129)}`,
      'repo:tag with space',
      'https://example.com/app:1',
      '/app',
      'app/',
      '',
      `${'a'.repeat(463)}`,
      `${'a'.repeat(464)}`,
    ];
    const disagreements = images.filter(image => {
      const { form, action } = verdicts({ ...WIZARD, image });
      return form !== action;
    });
    expect(disagreements).toEqual([]);
    expect(verdicts({ ...WIZARD, image: 'Team/app' }).form).toBe(false);
    expect(verdicts({ ...WIZARD, image: 'localhost/app' }).form).toBe(true);
  });

  it("writes the action's image grammar into the form", () => {
    const image = pages.map(page => page.properties?.image).find(Boolean);
    expect(image.pattern).toBe(
      `^(?![a-zA-Z0-9-]*[A-Z][a-zA-Z0-9-]*/)${IMAGE_REFERENCE.source
        .slice(1)
        .replace(/\\\//g, '/')}`,
    );
  });

  it('asks for the confirmation exactly for the protected environments', () => {
    for (const { name } of configured) {
      const values = { ...WIZARD, environments: [name], confirmProd: false };
      expect({ name, form: formErrors(values).length > 0 }).toEqual({
        name,
        form: protectedNames.has(name),
      });
      expect({ name, action: actionError(values) !== undefined }).toEqual({
        name,
        action: protectedNames.has(name),
      });
    }
  });

  it("needs no form rule for the load balancer's name: every offered environment leaves room for the longest project", () => {
    const longest = pages
      .map(page => page.properties?.project)
      .find(Boolean).maxLength;
    for (const name of field().items.enum) {
      expect(
        environmentResourceNames('p'.repeat(longest), name).albName.length,
      ).toBeLessThanOrEqual(32);
    }
    const values = {
      ...WIZARD,
      project: 'p'.repeat(longest),
      environments: field().items.enum,
      loadBalancer: true,
      confirmProd: true,
    };
    expect(verdicts(values)).toEqual({ form: true, action: true });

    function field() {
      return pages.map(page => page.properties?.environments).find(Boolean);
    }
  });

  describe('the app secret', () => {
    it('is refused in the values, naming the field; only the Secret field’s asterisks pass', () => {
      const errors = formErrors({ ...WIZARD, appSecret: 'hunter2-in-values' });
      expect(errors.map(e => e.property)).toEqual(['instance.appSecret']);
      expect(formErrors({ ...WIZARD, appSecret: '' })).toEqual([]);
      expect(formErrors({ ...WIZARD, appSecret: '*'.repeat(4096) })).toEqual(
        [],
      );
      expect(
        formErrors({ ...WIZARD, appSecret: '*'.repeat(4097) }).map(
          e => e.property,
        ),
      ).toEqual(['instance.appSecret']);
    });

    it('is refused under any other name in the values', () => {
      for (const name of ['secret', 'someSecretField', 'app_secret']) {
        const errors = formErrors({ ...WIZARD, [name]: 'hunter2' });
        expect(errors.map(e => e.instance)).toEqual([name]);
      }
    });

    it('lists every field of the form, and only those, as allowed names', () => {
      const review = pages.find(page => page.propertyNames);
      const declared = pages.flatMap(page => Object.keys(page.properties));
      expect([...review.propertyNames.enum].sort()).toEqual(
        [...declared].sort(),
      );
    });

    it('is checked as a task secret as the action checks it', () => {
      const schema = template.spec.secrets.schema;
      for (const appSecret of [
        'a',
        'hunter2',
        ' padded ',
        'x'.repeat(4096),
        'x'.repeat(4097),
        '',
        ' ',
        ' \t\n ',
      ]) {
        const form = validate({ appSecret }, schema).valid;
        let action = true;
        try {
          pickSecret({ appSecret });
        } catch {
          action = false;
        }
        expect({ length: appSecret.length, form }).toEqual({
          length: appSecret.length,
          form: action,
        });
      }
    });

    it('reaches the action as the task secret, not through an input', () => {
      // Rendered into an input, the scaffolder would redact the input's
      // name too, and "secret" would vanish from the task log.
      expect(JSON.stringify(provisionStep.input)).not.toContain('secrets.');
      const inputs = Object.keys(provisionInputFields(configured));
      expect(inputs).not.toContain('secret');
      for (const key of Object.keys(provisionStep.input)) {
        expect(inputs).toContain(key);
      }
    });
  });
});

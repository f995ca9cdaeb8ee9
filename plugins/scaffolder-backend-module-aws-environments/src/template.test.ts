import { ConfigReader } from '@backstage/config';
import {
  AwsEnvironmentConfig,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

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

describe('templates/aws-service-environments/template.yaml', () => {
  const template = parse(
    readFileSync(
      resolve(pkg, 'templates/aws-service-environments/template.yaml'),
      'utf8',
    ),
  );
  const configured = readAwsEnvironments(
    new ConfigReader(readYaml('app-config.yaml')),
  );
  const field = template.spec.parameters
    .map((page: any) => page.properties?.environments)
    .find(Boolean);

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

import { Stack } from '@aws-sdk/client-cloudformation';
import { provisioningInputsOf } from '@envplane/aws-environments-infra';
import { assertStackOwnership } from './stackOwnership';

const TAGS = [
  { Key: 'Project', Value: 'devops-app' },
  { Key: 'Environment', Value: 'qa' },
  { Key: 'CreatedBy', Value: 'backstage' },
  { Key: 'ManagedBy', Value: 'aws-cdk' },
];

const recorded = (project: string) => ({
  OutputKey: 'ProvisioningInputs',
  OutputValue: JSON.stringify(
    provisioningInputsOf({ project, owner: 'group:default/team', image: 'x' }),
  ),
});

function stack(overrides: Partial<Stack>): Stack {
  return {
    StackName: 'devops-app-qa',
    StackStatus: 'CREATE_COMPLETE',
    CreationTime: new Date(),
    ...overrides,
  };
}

const check = (s: Stack) => () => assertStackOwnership(s, 'devops-app', 'qa');
const NOT_TAGGED =
  'a stack named devops-app-qa exists but is not tagged as devops-app/qa created by backstage; refusing to change it';

describe('assertStackOwnership', () => {
  it('accepts a stack as the infra package creates it: tags and recorded inputs', () => {
    expect(
      check(stack({ Tags: TAGS, Outputs: [recorded('devops-app')] })),
    ).not.toThrow();
  });

  it('accepts a tagged stack from before the recorded inputs existed', () => {
    expect(check(stack({ Tags: TAGS }))).not.toThrow();
  });

  it('accepts an untagged stack by its recorded inputs', () => {
    expect(check(stack({ Outputs: [recorded('devops-app')] }))).not.toThrow();
  });

  it('accepts an untagged stack without recorded inputs by its description', () => {
    expect(
      check(
        stack({
          Description:
            'devops-app qa environment (VPC 10.1.0.0/16, ECS Fargate), provisioned from Backstage',
        }),
      ),
    ).not.toThrow();
  });

  it.each([
    ['another project', [{ Key: 'Project', Value: 'someone-else' }]],
    [
      'another environment',
      TAGS.map(t => (t.Key === 'Environment' ? { ...t, Value: 'prod' } : t)),
    ],
    [
      'another creator',
      TAGS.map(t => (t.Key === 'CreatedBy' ? { ...t, Value: 'terraform' } : t)),
    ],
  ])('refuses a stack tagged for %s', (_label, Tags) => {
    expect(check(stack({ Tags, Outputs: [recorded('devops-app')] }))).toThrow(
      NOT_TAGGED,
    );
  });

  it('refuses a stack whose recorded inputs name another project, even when tagged as ours', () => {
    for (const Tags of [undefined, TAGS]) {
      expect(check(stack({ Tags, Outputs: [recorded('other-app')] }))).toThrow(
        'stack devops-app-qa belongs to project other-app, not devops-app; refusing to change it',
      );
    }
  });

  it('refuses an untagged stack without recorded inputs whose description is not ours', () => {
    expect(check(stack({ Description: 'hand-made' }))).toThrow(NOT_TAGGED);
    expect(check(stack({}))).toThrow(NOT_TAGGED);
    expect(
      check(stack({ Description: 'devops-app prod environment (VPC …)' })),
    ).toThrow(NOT_TAGGED);
  });

  it('judges a tagged stack with an unreadable ProvisioningInputs output by its tags', () => {
    expect(
      check(
        stack({
          Tags: TAGS,
          Outputs: [{ OutputKey: 'ProvisioningInputs', OutputValue: '{' }],
        }),
      ),
    ).not.toThrow();
  });
});

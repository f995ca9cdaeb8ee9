import { awsError } from '../__testUtils__/awsFixtures';
import { classifyError, toEnvironmentError } from './toEnvironmentError';

/** What STS answers an AssumeRole of a role that is missing or does not trust the caller. */
const assumeRoleRefused = awsError(
  'AccessDenied',
  'User: arn:aws:sts::000000000000:assumed-role/backstage/i-0abc is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/backstage-aws-environments',
);

describe('toEnvironmentError', () => {
  it('names the role STS refused to assume and what to check', () => {
    expect(
      toEnvironmentError(
        assumeRoleRefused,
        'ecs',
        'AWS credentials for account 222222222222',
      ),
    ).toEqual({
      type: 'ACCESS_DENIED',
      source: 'ecs',
      message:
        'AWS credentials for account 222222222222: access denied; the role arn:aws:iam::222222222222:role/backstage-aws-environments cannot be assumed: check that it exists in this account and trusts the AWS identity the Backstage backend runs as (AccessDenied: User: arn:aws:sts::000000000000:assumed-role/backstage/i-0abc is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/backstage-aws-environments)',
    });
  });

  it('says which config an account without credentials lacks', () => {
    const error = toEnvironmentError(
      new Error(
        'There is no AWS integration that matches 333333333333. Please add a configuration for this AWS account.',
      ),
      'ecs',
      'AWS credentials for account 333333333333',
    );
    expect(error.type).toBe('ACCESS_DENIED');
    expect(error.message).toMatch(
      /^AWS credentials for account 333333333333: access denied; no credentials for it: add the account to aws\.accounts or set aws\.accountDefaults\.roleName/,
    );
  });

  it('tells a backend without credentials of its own to look at aws.mainAccount', () => {
    const error = toEnvironmentError(
      awsError(
        'CredentialsProviderError',
        'Could not load credentials from any providers',
      ),
      'ssm',
      'SSM parameters under /shop/test/',
    );
    expect(error.type).toBe('ACCESS_DENIED');
    expect(error.message).toMatch(
      /^SSM parameters under \/shop\/test\/: access denied; the AWS SDK could not load the Backstage backend's own credentials \(see aws\.mainAccount in the app config\)/,
    );
  });

  it('keeps the IAM policy hint for a call the assumed role may not make', () => {
    const denied = awsError(
      'AccessDeniedException',
      'User: arn:aws:sts::222222222222:assumed-role/backstage-aws-environments/backstage is not authorized to perform: ecs:DescribeServices',
    );
    expect(classifyError(denied)).toBe('ACCESS_DENIED');
    expect(toEnvironmentError(denied, 'ecs', 'ECS service s').message).toMatch(
      /^ECS service s: access denied; check the IAM policy of the Backstage role for this account \(AccessDeniedException: /,
    );
  });
});

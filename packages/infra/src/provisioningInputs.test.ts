import {
  provisioningInputsOf,
  readProvisioningInputs,
} from './provisioningInputs';

const INPUTS = {
  project: 'devops-app',
  owner: 'group:default/devops-team',
  image: 'public.ecr.aws/docker/library/python:3.12-slim',
};

describe('provisioningInputsOf', () => {
  it('resolves the defaults and leaves the image out', () => {
    expect(provisioningInputsOf(INPUTS)).toEqual({
      project: 'devops-app',
      owner: 'group:default/devops-team',
      application: 'app',
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 10,
      loadBalancer: false,
      synthesizer: 'legacy',
    });
    expect(
      provisioningInputsOf({
        ...INPUTS,
        description: 'Orders API',
        desiredCount: 2,
        minCapacity: 2,
        maxCapacity: 4,
        loadBalancer: true,
        synthesizer: 'default',
      }),
    ).toMatchObject({
      description: 'Orders API',
      desiredCount: 2,
      minCapacity: 2,
      maxCapacity: 4,
      loadBalancer: true,
      synthesizer: 'default',
    });
  });
});

describe('readProvisioningInputs', () => {
  const value = JSON.stringify(provisioningInputsOf(INPUTS));

  it('reads the output from a map or from DescribeStacks outputs', () => {
    const expected = provisioningInputsOf(INPUTS);
    expect(
      readProvisioningInputs({ ProvisioningInputs: value }, 'devops-app-qa'),
    ).toEqual(expected);
    expect(
      readProvisioningInputs(
        [
          { OutputKey: 'ClusterName', OutputValue: 'c' },
          { OutputKey: 'ProvisioningInputs', OutputValue: value },
        ],
        'devops-app-qa',
      ),
    ).toEqual(expected);
  });

  it('tells an older stack to be provisioned again', () => {
    const message =
      'stack devops-app-qa was not provisioned by this version; re-run the wizard';
    expect(() =>
      readProvisioningInputs([{ OutputKey: 'ClusterName' }], 'devops-app-qa'),
    ).toThrow(message);
    expect(() => readProvisioningInputs(undefined, 'devops-app-qa')).toThrow(
      message,
    );
  });

  it.each([
    ['{', /not JSON/],
    ['[]', /not a JSON object/],
    [
      JSON.stringify({ ...JSON.parse(value), image: 'x' }),
      /unknown inputs: image/,
    ],
    [
      JSON.stringify({ ...JSON.parse(value), owner: undefined }),
      /owner is missing/,
    ],
    [
      JSON.stringify({ ...JSON.parse(value), desiredCount: 11 }),
      /desiredCount must be 1 to 10/,
    ],
    [
      JSON.stringify({ ...JSON.parse(value), loadBalancer: 'yes' }),
      /loadBalancer must be a boolean/,
    ],
    [
      JSON.stringify({ ...JSON.parse(value), synthesizer: 'cli' }),
      /synthesizer must be "legacy" or "default"/,
    ],
  ])('rejects %s', (raw, problem) => {
    expect(() =>
      readProvisioningInputs({ ProvisioningInputs: raw }, 'devops-app-qa'),
    ).toThrow(problem);
    expect(() =>
      readProvisioningInputs({ ProvisioningInputs: raw }, 'devops-app-qa'),
    ).toThrow(
      /^stack devops-app-qa has an unreadable ProvisioningInputs output/,
    );
  });
});

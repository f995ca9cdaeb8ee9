import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  EnvironmentDrift,
  awsEnvironmentsDriftCheckPermission,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsApi, awsEnvironmentsApiRef } from '../../api';
import { EnvironmentDriftView } from './EnvironmentDriftView';

const ENTITY = 'component:default/shop';
const CHECKED_AT = '2026-12-01T08:30:00.000Z';

const base: EnvironmentDrift = {
  environment: 'test',
  stackName: 'shop-test',
  status: 'in_sync',
  driftedResourceCount: 0,
  resources: [],
  checkedAt: CHECKED_AT,
  startedAt: '2026-12-01T08:29:40.000Z',
};

const drifted: EnvironmentDrift = {
  ...base,
  status: 'drifted',
  driftedResourceCount: 2,
  checkedAt: '2026-12-01T09:00:00.000Z',
  resources: [
    {
      logicalId: 'AppService',
      resourceType: 'AWS::ECS::Service',
      status: 'MODIFIED',
      differences: [
        {
          path: '/DesiredCount',
          expected: '2',
          actual: '3',
          differenceType: 'NOT_EQUAL',
        },
      ],
    },
    {
      logicalId: 'ConfigParameter',
      resourceType: 'AWS::SSM::Parameter',
      status: 'MODIFIED',
      differences: [
        { path: '/Value', differenceType: 'NOT_EQUAL', redacted: true },
      ],
    },
  ],
};

async function render(
  drift: EnvironmentDrift,
  api: Partial<AwsEnvironmentsApi>,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  entityRef = ENTITY,
) {
  const onChange = jest.fn();
  const permissionApi = mockApis.permission({
    authorize: request => {
      // The button asks about the check permission on this entity only.
      expect(request.permission.name).toBe(
        awsEnvironmentsDriftCheckPermission.name,
      );
      return authorize;
    },
  });
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [awsEnvironmentsApiRef, api],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EnvironmentDriftView
        entityRef={entityRef}
        drift={drift}
        onChange={onChange}
        pollIntervalMs={10}
      />
    </TestApiProvider>,
  );
  return onChange;
}

const button = () => screen.getByRole('button', { name: 'Check now' });

describe('EnvironmentDriftView', () => {
  it('shows an environment in sync with when it was checked', async () => {
    await render(base, {});
    expect(screen.getByText('In sync')).toBeInTheDocument();
    expect(
      screen.getByText(
        `Stack shop-test, checked ${new Date(CHECKED_AT).toLocaleString()}`,
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(button()).toBeEnabled());
  });

  it("lists each drifted resource's expected and actual property, withholding parameter values", async () => {
    await render(drifted, {});
    expect(screen.getByText('Drifted: 2 resources')).toBeInTheDocument();
    const service = screen.getByTestId('drifted-resource-AppService');
    expect(service).toHaveTextContent(
      'AppService (AWS::ECS::Service)/DesiredCount changed: expected 2, actual 3',
    );
    expect(
      screen.getByTestId('drifted-resource-ConfigParameter'),
    ).toHaveTextContent(
      '/Value changed (the value is not shown: an SSM parameter may hold a secret)',
    );
  });

  it('starts a check, shows it running, and reads the result until it is done', async () => {
    const checking = { ...base, status: 'checking' as const };
    const getDrift = jest
      .fn()
      .mockResolvedValueOnce({ entityRef: ENTITY, environments: [checking] })
      .mockResolvedValue({ entityRef: ENTITY, environments: [drifted] });
    const checkDrift = jest.fn(async () => checking);
    const onChange = await render(base, { getDrift, checkDrift });
    await waitFor(() => expect(button()).toBeEnabled());
    await userEvent.click(button());

    expect(checkDrift).toHaveBeenCalledWith({
      entity: { kind: 'component', namespace: 'default', name: 'shop' },
      environment: 'test',
    });
    expect(await screen.findByText('Checking drift…')).toBeInTheDocument();
    expect(button()).toBeDisabled();
    expect(await screen.findByText('Drifted: 2 resources')).toBeInTheDocument();
    expect(getDrift).toHaveBeenCalledTimes(2);
    expect(onChange).toHaveBeenLastCalledWith(drifted);
    expect(button()).toBeEnabled();
  });

  it("shows the backend's answer when the check is refused by the rate limit", async () => {
    const message =
      'Drift of shop/test cannot be checked now: it was last checked at 2026-12-01T08:29:40.000Z, and each environment may be checked once every 5 minutes. It may run again at 2026-12-01T08:34:40.000Z.';
    const checkDrift = jest.fn(async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'TooManyRequestsError', message },
            request: { method: 'POST', url: '/drift' },
            response: { statusCode: 429 },
          }),
          { status: 429, headers: { 'content-type': 'application/json' } },
        ),
      );
    });
    await render(base, { checkDrift });
    await waitFor(() => expect(button()).toBeEnabled());
    await userEvent.click(button());
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(screen.getByText('In sync')).toBeInTheDocument();
  });

  it('disables the button, with a tooltip saying why, without the permission', async () => {
    const checkDrift = jest.fn();
    // usePermission keeps answers per permission and entity for the
    // session, so the denied entity is one no other test asked about.
    const billing = 'component:default/billing';
    await render(base, { checkDrift }, AuthorizeResult.DENY, billing);
    await waitFor(() => expect(button()).toBeDisabled());
    await userEvent.hover(button().parentElement!);
    expect(
      await screen.findByText(
        `You may not check the drift of ${billing} (permission aws.environments.drift.check)`,
      ),
    ).toBeInTheDocument();
    expect(checkDrift).not.toHaveBeenCalled();
  });
});

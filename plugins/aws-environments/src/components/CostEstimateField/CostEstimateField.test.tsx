import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  CostEstimateRequest,
  CostEstimateResponse,
  DEFAULT_COST_ASSUMPTIONS,
  EnvironmentPrices,
  estimateEnvironmentCost,
} from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsApi, awsEnvironmentsApiRef } from '../../api';
import { CostEstimateField, costRequestFromForm } from './CostEstimateField';

const US_EAST_1: EnvironmentPrices = {
  region: 'us-east-1',
  currency: 'USD',
  priceDate: '2026-12-01T00:00:00Z',
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  fargateVcpuHour: 0.04048,
  fargateGbHour: 0.004445,
  loadBalancerHour: 0.0225,
  loadBalancerLcuHour: 0.008,
  logsIngestionGb: 0.5,
  logsStorageGbMonth: 0.03,
  publicIpv4Hour: 0.005,
};

/** What the backend answers: priced as it prices, for us-east-1 only. */
function answer(request: CostEstimateRequest): CostEstimateResponse {
  const settings = {
    taskCpu: 256,
    taskMemory: 512,
    minCapacity: request.minCapacity ?? 1,
    maxCapacity: request.maxCapacity ?? 10,
    desiredCount: request.desiredCount ?? request.minCapacity ?? 1,
    loadBalancer: request.loadBalancer ?? false,
  };
  const price = (min: number, max: number) =>
    estimateEnvironmentCost(
      {
        taskCpu: 256,
        taskMemoryMiB: 512,
        minTasks: min,
        maxTasks: max,
        loadBalancer: settings.loadBalancer,
      },
      US_EAST_1,
    );
  const environments = request.environments.map(name =>
    name === 'far'
      ? {
          environment: name,
          title: 'Far',
          region: 'ap-south-1',
          settings,
          error:
            'prices of ap-south-1 could not be read: No price in ap-south-1 for AmazonEC2 NatGateway-Hours',
        }
      : {
          environment: name,
          title: name.toUpperCase(),
          region: 'us-east-1',
          settings,
          estimate: price(settings.minCapacity, settings.maxCapacity),
          monthlyAtDesired: price(settings.desiredCount, settings.desiredCount)
            .monthly.low,
        },
  );
  const priced = environments.filter(e => 'estimate' in e) as any[];
  const sum = (f: (e: any) => number) =>
    Math.round(priced.reduce((t, e) => t + f(e), 0) * 100) / 100;
  return {
    currency: 'USD',
    environments,
    total: {
      monthly: {
        low: sum(e => e.estimate.monthly.low),
        high: sum(e => e.estimate.monthly.high),
      },
      monthlyAtDesired: sum(e => e.monthlyAtDesired),
      complete: priced.length === environments.length,
    },
    priceDate: '2026-12-01T00:00:00Z',
    assumptions: DEFAULT_COST_ASSUMPTIONS,
    disclaimer: 'Estimates, not a quote.',
  };
}

async function renderField(
  formData: Record<string, unknown>,
  estimateCost: AwsEnvironmentsApi['estimateCost'] = jest.fn(async r =>
    answer(r),
  ),
) {
  const api = { estimateCost: jest.fn(estimateCost) };
  const props = (data: Record<string, unknown>) =>
    ({
      formContext: { formData: data },
      schema: { title: 'Estimated monthly cost' },
      uiSchema: {},
      onChange: jest.fn(),
    } as any);
  const element = (data: Record<string, unknown>) => (
    <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
      <CostEstimateField {...props(data)} />
    </TestApiProvider>
  );
  const rendered = await renderInTestApp(element(formData));
  return {
    api,
    rerender: (data: Record<string, unknown>) =>
      rendered.rerender(element(data)),
  };
}

const row = (name: string) =>
  screen.getByText(name).closest('tr') as HTMLElement;

describe('CostEstimateField', () => {
  it('asks for an environment first, and calls nothing', async () => {
    const { api } = await renderField({ environments: [] });
    expect(
      screen.getByText('Select at least one environment to see the estimate.'),
    ).toBeInTheDocument();
    expect(api.estimateCost).not.toHaveBeenCalled();
  });

  it('shows each environment and the total as estimates, with the price date', async () => {
    const { api } = await renderField({
      environments: ['test', 'qa'],
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 10,
      loadBalancer: true,
    });
    await screen.findByText('TEST');
    expect(api.estimateCost).toHaveBeenCalledWith({
      environments: ['test', 'qa'],
      desiredCount: 1,
      minCapacity: 1,
      maxCapacity: 10,
      loadBalancer: true,
    });
    // The seed service in us-east-1: $153.16 to $239.02 each.
    expect(
      within(row('TEST')).getByText('≈ $153.16 – $239.02'),
    ).toBeInTheDocument();
    expect(
      within(row('Total')).getByText('≈ $306.32 – $478.04'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Every figure is an estimate in USD.*published 2026-12-01/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByText('What is priced, and what the estimate assumes'),
    );
    expect(
      screen.getByText(/20 GB a month through the NAT gateways/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/^NAT gateway hours: ≈ \$98\.55 a month/),
    ).toBeInTheDocument();
  });

  it('asks again when the person changes the counts or the load balancer, and shows the new figures', async () => {
    const { api, rerender } = await renderField({
      environments: ['test'],
      minCapacity: 1,
      maxCapacity: 10,
      loadBalancer: true,
    });
    await screen.findByText('TEST');
    expect(
      within(row('TEST')).getByText('≈ $153.16 – $239.02'),
    ).toBeInTheDocument();
    rerender({
      environments: ['test'],
      minCapacity: 2,
      maxCapacity: 2,
      loadBalancer: false,
    });
    await waitFor(() =>
      expect(api.estimateCost).toHaveBeenLastCalledWith({
        environments: ['test'],
        minCapacity: 2,
        maxCapacity: 2,
        loadBalancer: false,
      }),
    );
    const expected = answer({
      environments: ['test'],
      minCapacity: 2,
      maxCapacity: 2,
      loadBalancer: false,
    }).environments[0].estimate!.monthly.low;
    // The range and the figure at the tasks at start agree: 2 tasks.
    expect(
      await within(row('TEST')).findAllByText(`≈ $${expected.toFixed(2)}`),
    ).toHaveLength(2);
    expect(api.estimateCost).toHaveBeenCalledTimes(2);
  });

  it('says which environment has no prices, and that the total leaves it out', async () => {
    await renderField({ environments: ['test', 'far'] });
    expect(
      await screen.findByText(
        /^No estimate: prices of ap-south-1 could not be read/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('without the environments that have no estimate'),
    ).toBeInTheDocument();
  });

  it('explains a failed estimate without blocking the form', async () => {
    await renderField({ environments: ['test'] }, async () => {
      throw new Error('Request failed with 503 Service Unavailable');
    });
    expect(
      await screen.findByText(
        /The cost estimate could not be read: Request failed with 503 Service Unavailable\. You can still create the environments\./,
      ),
    ).toBeInTheDocument();
  });
});

describe('costRequestFromForm', () => {
  it("takes the action's fields from the form and leaves out what is not set", () => {
    expect(
      costRequestFromForm({
        project: 'shop',
        environments: ['test', 'prod'],
        minCapacity: 2,
        maxCapacity: undefined,
        loadBalancer: false,
        taskSize: '0.25 vCPU / 512 MB (Fargate, awsvpc)',
        appSecret: '****',
      }),
    ).toEqual({
      environments: ['test', 'prod'],
      minCapacity: 2,
      loadBalancer: false,
    });
    expect(costRequestFromForm({ environments: [] })).toBeUndefined();
    expect(costRequestFromForm(undefined)).toBeUndefined();
  });
});

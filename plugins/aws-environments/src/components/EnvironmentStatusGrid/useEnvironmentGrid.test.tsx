import { renderHook, waitFor } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { TestApiProvider } from '@backstage/test-utils';
import { StatusOverviewRow } from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsApi, awsEnvironmentsApiRef } from '../../api';
import { entitiesSource, useEnvironmentGrid } from './useEnvironmentGrid';

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', lifecycle: 'production', owner: 'team' },
  };
}

describe('useEnvironmentGrid', () => {
  it('reads at most four statuses at a time, keeping the rows in order', async () => {
    let inFlight = 0;
    let most = 0;
    const api: Partial<AwsEnvironmentsApi> = {
      getEntityOverview: async entity => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Later entities answer sooner, so order is not arrival order.
        await new Promise(r =>
          setTimeout(r, 20 - Number(entity.name.slice(1))),
        );
        inFlight -= 1;
        return { environments: [] } as unknown as StatusOverviewRow;
      },
      getPromotionSummary: async () => ({}),
    };
    const entities = Array.from({ length: 10 }, (_, i) => component(`s${i}`));
    const source = entitiesSource(entities);

    const { result } = renderHook(() => useEnvironmentGrid(source), {
      wrapper: ({ children }) => (
        <TestApiProvider apis={[[awsEnvironmentsApiRef, api]]}>
          {children}
        </TestApiProvider>
      ),
    });

    await waitFor(() => expect(result.current.value).toBeDefined());
    expect(most).toBe(4);
    expect(result.current.value!.rows.map(r => r.entity.metadata.name)).toEqual(
      entities.map(e => e.metadata.name),
    );
  });
});

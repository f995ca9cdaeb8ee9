import { mockCredentials } from '@backstage/backend-test-utils';
import { EnvironmentStatus } from '@envplane/plugin-aws-environments-common';
import { EntityStatusReader } from '../service/EntityStatusReader';
import { createStatusEnvironmentStateReader } from './statusEnvironmentStateReader';

describe('createStatusEnvironmentStateReader', () => {
  const credentials = mockCredentials.user();

  function readerReturning(environments: Partial<EnvironmentStatus>[]) {
    const read = jest.fn(async () => ({
      entityRef: 'component:default/shop',
      range: '1h' as const,
      environments: environments as EnvironmentStatus[],
    }));
    return { read, reader: { read } as unknown as EntityStatusReader };
  }

  it('reads the image, health and top finding of one environment with the caller’s credentials', async () => {
    const { read, reader } = readerReturning([
      {
        name: 'qa',
        health: 'degraded',
        service: { image: 'shop:1.0.0' } as EnvironmentStatus['service'],
        findings: [
          { title: 'Tasks crash-looping' },
          { title: 'Below desired count' },
        ] as EnvironmentStatus['findings'],
      },
    ]);
    const state = await createStatusEnvironmentStateReader({
      reader,
    }).getEnvironmentState('component:default/shop', 'qa', credentials, {
      fresh: true,
    });
    expect(state).toEqual({
      image: 'shop:1.0.0',
      health: 'degraded',
      finding: 'Tasks crash-looping',
    });
    expect(read).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
      environment: 'qa',
      range: '1h',
      credentials,
      fresh: true,
    });
  });

  it('reports nothing running when the environment has no service', async () => {
    const { reader } = readerReturning([]);
    const state = await createStatusEnvironmentStateReader({
      reader,
    }).getEnvironmentState('component:default/shop', 'qa', credentials);
    expect(state).toEqual({ image: undefined, health: 'unknown' });
  });
});

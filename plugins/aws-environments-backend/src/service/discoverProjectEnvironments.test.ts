import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  buildProjectEntities,
  readAwsEnvironments,
} from '@envplane/plugin-aws-environments-common';
import { ConfigReader } from '@backstage/config';
import { environmentsConfig } from '../__testUtils__/awsFixtures';
import { discoverProjectEnvironments } from './discoverProjectEnvironments';

const configured = readAwsEnvironments(new ConfigReader(environmentsConfig));
const names = configured.map(e => e.name);

describe('discoverProjectEnvironments', () => {
  it('takes the environments a project was provisioned in from its system and component, not every configured one', async () => {
    const entities = buildProjectEntities({
      project: 'shop',
      owner: 'group:default/team',
      environments: configured.filter(e => e.name === 'test'),
    });
    const found = await discoverProjectEnvironments(
      catalogServiceMock({ entities }),
      mockCredentials.service(),
      names,
    );
    expect(found).toEqual([{ project: 'shop', environment: 'test' }]);
  });

  it('takes every configured environment for an entity that lists none, once per project', async () => {
    const found = await discoverProjectEnvironments(
      catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'handwritten',
              annotations: { 'aws-environments.io/project': 'shop' },
            },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'System',
            metadata: {
              name: 'shop',
              annotations: { 'aws-environments.io/project': 'shop' },
            },
          },
        ],
      }),
      mockCredentials.service(),
      names,
    );
    expect(found).toEqual(
      names.map(environment => ({ project: 'shop', environment })),
    );
  });
});

import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { SEED_CONFIG } from './__testUtils__/fixtures';
import scaffolderModuleAwsEnvironments from './index';

describe('scaffolderModuleAwsEnvironments', () => {
  it('registers the provision, destroy and promote actions with the scaffolder', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleAwsEnvironments,
        mockServices.rootConfig.factory({ data: SEED_CONFIG }),
      ],
    });
    const actions = addActions.mock.calls.flat();
    expect(actions.map(a => a.id)).toEqual([
      'aws:environments:provision',
      'aws:environments:destroy',
      'aws:environments:promote',
    ]);
    const provision = actions[0];
    expect(provision.supportsDryRun).toBe(true);
    // The JSON schema the wizard and the template editor see.
    expect(provision.schema.input.required).toEqual([
      'project',
      'owner',
      'environments',
      'image',
    ]);
    expect(provision.schema.input.properties.environments.items.enum).toEqual([
      'test',
      'qa',
      'staging',
      'prod',
    ]);
  });
});

import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { entity } from './__fixtures__/entities';
import plugin from './alpha';

describe('new frontend system plugin', () => {
  it('contributes an Environments entity tab for annotated Components only', () => {
    const tab = plugin.getExtension('entity-content:aws-environments');
    const tester = createExtensionTester(tab);

    expect(tester.get(coreExtensionData.routePath)).toBe('environments');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Environments',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const project = { 'aws-environments.io/project': 'p' };
    expect(filter(entity())).toBe(false);
    expect(filter(entity(project))).toBe(true);
    expect(filter(entity(project, 'System'))).toBe(false);
    expect(filter(entity(project, 'Resource'))).toBe(false);
  });

  it('registers the API client', () => {
    expect(plugin.getExtension('api:aws-environments')).toBeDefined();
  });
});

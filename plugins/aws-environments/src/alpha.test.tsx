import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import plugin from './alpha';

describe('new frontend system plugin', () => {
  it('contributes an Environments entity tab for annotated entities', () => {
    const tab = plugin.getExtension('entity-content:aws-environments');
    const tester = createExtensionTester(tab);

    expect(tester.get(coreExtensionData.routePath)).toBe('environments');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Environments',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    const entity = (annotations?: Record<string, string>): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x', annotations },
    });
    expect(filter(entity())).toBe(false);
    expect(filter(entity({ 'aws-environments.io/project': 'p' }))).toBe(true);
  });

  it('registers the API client', () => {
    expect(plugin.getExtension('api:aws-environments')).toBeDefined();
  });
});

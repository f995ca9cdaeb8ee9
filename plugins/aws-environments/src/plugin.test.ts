import { Entity } from '@backstage/catalog-model';
import {
  awsEnvironmentsPlugin,
  EntityAwsEnvironmentsContent,
  isAwsEnvironmentsAvailable,
} from './index';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('legacy frontend system exports', () => {
  it('provides the plugin, its API and the routable tab', () => {
    expect(awsEnvironmentsPlugin.getId()).toBe('aws-environments');
    expect([...awsEnvironmentsPlugin.getApis()].map(f => f.api.id)).toContain(
      'plugin.aws-environments.service',
    );
    expect(EntityAwsEnvironmentsContent).toBeDefined();
  });

  it('is available only on entities with the project annotation', () => {
    expect(isAwsEnvironmentsAvailable(entity())).toBe(false);
    expect(
      isAwsEnvironmentsAvailable(
        entity({ 'aws-environments.io/project': 'devops-app' }),
      ),
    ).toBe(true);
  });
});

import { Entity } from '@backstage/catalog-model';
import {
  awsEnvironmentsPlugin,
  EntityAwsEnvironmentsContent,
  isAwsEnvironmentsAvailable,
} from './index';

const entity = (
  annotations?: Record<string, string>,
  kind = 'Component',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
});
const project = { 'aws-environments.io/project': 'devops-app' };

describe('legacy frontend system exports', () => {
  it('provides the plugin, its API and the routable tab', () => {
    expect(awsEnvironmentsPlugin.getId()).toBe('aws-environments');
    expect([...awsEnvironmentsPlugin.getApis()].map(f => f.api.id)).toContain(
      'plugin.aws-environments.service',
    );
    expect(EntityAwsEnvironmentsContent).toBeDefined();
  });

  it('is available only on Components with the project annotation', () => {
    expect(isAwsEnvironmentsAvailable(entity())).toBe(false);
    expect(isAwsEnvironmentsAvailable(entity(project))).toBe(true);
    expect(isAwsEnvironmentsAvailable(entity(project, 'component'))).toBe(true);
    // The provisioning action annotates the System and the environment
    // Resources with the same project; they have no service to show.
    expect(isAwsEnvironmentsAvailable(entity(project, 'System'))).toBe(false);
    expect(isAwsEnvironmentsAvailable(entity(project, 'Resource'))).toBe(false);
  });
});

import { getComponentData } from '@backstage/core-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import plugin from '../../alpha';
import { AwsEnvironmentsCostEstimateFieldExtension } from '../../plugin';
import { CostEstimateField } from './CostEstimateField';

describe('the cost estimate field extension', () => {
  it('is a scaffolder form field of the new frontend system, named as templates use it', async () => {
    const extension = plugin.getExtension(
      'scaffolder-form-field:aws-environments/cost-estimate',
    );
    const loader = createExtensionTester(extension).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const field = await loader();
    expect(field.$$type).toBe('@backstage/scaffolder/FormField');
    expect(JSON.stringify(field)).toContain('"AwsEnvironmentsCostEstimate"');
  });

  it('is a field extension of the legacy frontend system, found inside <ScaffolderFieldExtensions>', () => {
    // What the legacy scaffolder page reads from each child element.
    expect(
      getComponentData(
        <AwsEnvironmentsCostEstimateFieldExtension />,
        'scaffolder.extensions.field.v1',
      ),
    ).toMatchObject({
      name: 'AwsEnvironmentsCostEstimate',
      component: CostEstimateField,
    });
  });
});

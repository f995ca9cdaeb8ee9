import { options } from './__testUtils__/builders';
import { detectAppSecretMissing } from './appSecretMissing';

const name = '/shop/test/app-secret';

describe('detectAppSecretMissing', () => {
  it('fires when the parameter list lacks the secret', () => {
    expect(
      detectAppSecretMissing(
        {
          tasks: [],
          appSecretParameterName: name,
          parameters: [{ name: '/shop/test/other', type: 'String' }],
        },
        options,
      ),
    ).toEqual([
      expect.objectContaining({
        id: 'app-secret-missing',
        severity: 'error',
        source: 'ssm',
      }),
    ]);
  });

  it('is silent when the secret exists', () => {
    expect(
      detectAppSecretMissing(
        {
          tasks: [],
          appSecretParameterName: name,
          parameters: [{ name, type: 'SecureString' }],
        },
        options,
      ),
    ).toEqual([]);
  });

  it('is silent when parameters could not be read', () => {
    expect(
      detectAppSecretMissing(
        { tasks: [], appSecretParameterName: name },
        options,
      ),
    ).toEqual([]);
  });
});

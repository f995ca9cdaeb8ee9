import { HealthRule } from './types';

/** The application's secret parameter does not exist in the environment. */
export const detectAppSecretMissing: HealthRule = input => {
  const { parameters, appSecretParameterName: name } = input;
  if (!parameters || !name || parameters.some(p => p.name === name)) {
    return [];
  }
  return [
    {
      id: 'app-secret-missing',
      severity: 'error',
      title: 'Application secret missing',
      message: `The SSM parameter ${name} does not exist; the service cannot read its secret.`,
      source: 'ssm',
    },
  ];
};

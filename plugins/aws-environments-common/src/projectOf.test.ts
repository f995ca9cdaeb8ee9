import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_ENVIRONMENTS, ANNOTATION_PROJECT } from './annotations';
import { projectOf } from './projectOf';

const CONFIGURED = ['test', 'qa', 'staging', 'prod'];

function component(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', annotations },
    spec: {},
  };
}

describe('projectOf', () => {
  it('reads the project and, without an environments annotation, every configured environment', () => {
    expect(
      projectOf(component({ [ANNOTATION_PROJECT]: ' shop ' }), CONFIGURED),
    ).toEqual({ project: 'shop', environments: CONFIGURED });
  });

  it('keeps the listed environments in configured order and ignores unknown ones', () => {
    expect(
      projectOf(
        component({
          [ANNOTATION_PROJECT]: 'shop',
          [ANNOTATION_ENVIRONMENTS]: 'qa, test,elsewhere',
        }),
        CONFIGURED,
      ),
    ).toEqual({ project: 'shop', environments: ['test', 'qa'] });
  });

  it('rejects an entity without the project annotation as bad input', () => {
    const entity = component({});
    delete entity.metadata.annotations;
    expect(() => projectOf(entity, CONFIGURED)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(`no ${ANNOTATION_PROJECT} annotation`),
      }),
    );
    expect(() =>
      projectOf(component({ [ANNOTATION_PROJECT]: '  ' }), CONFIGURED),
    ).toThrow(/test, qa, staging, prod/);
  });

  it('rejects a project name that cannot be part of AWS names', () => {
    expect(() =>
      projectOf(
        component({ [ANNOTATION_PROJECT]: 'Not A Project' }),
        CONFIGURED,
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /^The aws-environments\.io\/project annotation "Not A Project" is invalid: it /,
        ),
      }),
    );
  });
});

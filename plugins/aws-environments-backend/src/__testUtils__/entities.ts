import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ENVIRONMENTS,
  ANNOTATION_PROJECT,
} from '@envplane/plugin-aws-environments-common';

function component(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

/** Runs in test and qa. */
export const shopEntity = component('shop', {
  [ANNOTATION_PROJECT]: 'shop',
  [ANNOTATION_ENVIRONMENTS]: 'test, qa',
});

export const unannotatedEntity = component('legacy', {});

export const invalidProjectEntity = component('broken', {
  [ANNOTATION_PROJECT]: 'Not A Project',
});

export const testEntities = [
  shopEntity,
  unannotatedEntity,
  invalidProjectEntity,
];

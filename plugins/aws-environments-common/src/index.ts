/**
 * Types, annotation keys, naming, permissions and pure health rules shared by
 * the AWS environments plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './config';
export * from './naming';
export * from './entities';
export * from './types';
export * from './metrics';
export * from './permissions';
export * from './promotions';
export * from './health';

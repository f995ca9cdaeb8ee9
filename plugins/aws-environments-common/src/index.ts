/**
 * Types, annotation keys, naming, permissions and pure health rules shared by
 * the AWS environments plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './config';
export * from './naming';

/*
 * Programmatic entry point: tests and scripts start a sandbox in-process with
 * startSandbox() (or startSandboxEndpoint(), which also points the SDK's
 * environment at it) and aim AWS SDK clients at its url.
 */
export { createSandbox, startSandbox } from './start';
export type { RunningSandbox, StartSandboxOptions } from './start';
export { SANDBOX_ENV_KEYS, startSandboxEndpoint } from './endpoint';
export type { SandboxEndpoint, StartSandboxEndpointOptions } from './endpoint';
export { Sandbox } from './sandbox';
export type { ClockMode } from './simulation/clock';
export type { Fault } from './state';

/*
 * Starting a sandbox in-process: createSandbox() builds the world with every
 * service registered, startSandbox() also serves it over HTTP.
 */
import type { AddressInfo } from 'node:net';
import { Sandbox, SandboxOptions } from './sandbox';
import { createServer } from './server';
import { loadState } from './stateFile';
import type { Clock, ClockMode } from './simulation/clock';
import { sts } from './services/sts';
import { ssm } from './services/ssm';
import { ecs } from './services/ecs';
import { logs } from './services/logs';
import { cloudwatch } from './services/cloudwatch';
import { autoscaling } from './services/autoscaling';
import { cloudformation } from './services/cloudformation';
import { ec2 } from './services/ec2';
import { pricing } from './services/pricing';
import type { Fault } from './state';
import { FaultInput, parseFault } from './faults';
import type { ThrottleMode } from './throttling/throttler';

export interface StartSandboxOptions {
  /** Port on 127.0.0.1; 0 picks a free one. Default 4566. */
  port?: number;
  host?: string;
  /** Persist state here (JSON, written atomically) and load it at start. */
  stateFile?: string;
  /** Seed for ids, task timings and metric values. Default 42. */
  seed?: number;
  /** 'real' follows wall time; 'manual' only moves when advanced. */
  clock?: ClockMode;
  /** Start of simulated time (epoch ms) for a fresh state. */
  startTime?: number;
  /** Wall-clock time each CloudFormation resource takes. Default 150. */
  resourceDelayMs?: number;
  /** One line per request (service and operation, never values). */
  log?: (line: string) => void;
  /** 'aws': throttle at AWS's published rates per account and region. Default 'off'. */
  throttle?: ThrottleMode;
  /**
   * Manual clock: simulated ms the clock moves per poll while a stack waits
   * for an ECS service to stabilise, as time passes during a deployment.
   * Default 5000; 0 leaves the clock to the caller (the stack then stays in
   * progress until advance() lets the tasks run).
   */
  stackWaitClockStepMs?: number;
  /** Role ARNs AssumeRole accepts (others get AccessDenied); default any. */
  roles?: string[];
}

export interface RunningSandbox {
  url: string;
  port: number;
  clock: Clock;
  sandbox: Sandbox;
  /** Moves the simulated clock forward. */
  advance(seconds: number): void;
  addFault(
    fault: Omit<FaultInput, 'id' | 'createdAt'> | Record<string, unknown>,
  ): Fault;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
}

export function createSandbox(options: StartSandboxOptions = {}): Sandbox {
  const initialState = options.stateFile
    ? loadState(options.stateFile)
    : undefined;
  const sandbox = new Sandbox({
    seed: options.seed,
    clock: options.clock,
    startTime: options.startTime,
    resourceDelayMs: options.resourceDelayMs,
    initialState,
    stateFile: options.stateFile,
    log: options.log,
    throttle: options.throttle,
    stackWaitClockStepMs: options.stackWaitClockStepMs,
    roles: options.roles,
  } satisfies SandboxOptions);
  for (const def of [
    sts,
    ssm,
    ecs,
    logs,
    cloudwatch,
    autoscaling,
    cloudformation,
    ec2,
    pricing,
  ])
    sandbox.registerService(def);
  return sandbox;
}

export async function startSandbox(
  options: StartSandboxOptions = {},
): Promise<RunningSandbox> {
  const sandbox = createSandbox(options);
  const server = createServer(sandbox);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  sandbox.clock.start();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    clock: sandbox.clock,
    sandbox,
    advance: seconds => {
      sandbox.clock.advance(seconds * 1000);
      sandbox.changed();
    },
    addFault: fault => sandbox.addFault(parseFault(fault)),
    clearFaults: () => sandbox.clearFaults(),
    reset: () => sandbox.reset(),
    close: async () => {
      sandbox.clock.stop();
      sandbox.cloudformation.cancelAll();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      sandbox.flush();
    },
  };
}

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { EnvironmentHealth } from '@envplane/plugin-aws-environments-common';

/** What runs in one environment of an entity, and how well. */
export interface EnvironmentState {
  /** The image of the service's container; absent when nothing runs. */
  image?: string;
  health: EnvironmentHealth;
  /** The most important finding's title, when there is one. */
  finding?: string;
}

/**
 * Reads the running image and health of an entity's environment. Injected
 * so promotions do not depend on how status is read (see
 * `createStatusEnvironmentStateReader` for the one backed by the status
 * service).
 */
export interface EnvironmentStateReader {
  getEnvironmentState(
    entityRef: string,
    environment: string,
    credentials: BackstageCredentials,
    /** `fresh`: read AWS rather than a cached status (decisions, not polling). */
    options?: { fresh?: boolean },
  ): Promise<EnvironmentState>;
}

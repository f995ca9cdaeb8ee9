import { EntityStatusReader } from '../service/EntityStatusReader';
import { EnvironmentStateReader } from './EnvironmentStateReader';

/**
 * An EnvironmentStateReader backed by the plugin's status API, so a
 * promotion sees the same image and health as the environments tab (and
 * the same catalog visibility and permission checks for the caller).
 */
export function createStatusEnvironmentStateReader(options: {
  reader: EntityStatusReader;
}): EnvironmentStateReader {
  return {
    async getEnvironmentState(entityRef, environment, credentials, read) {
      const response = await options.reader.read({
        entityRef,
        environment,
        // The shortest range: only the service and its findings matter here.
        range: '1h',
        credentials,
        fresh: read?.fresh,
      });
      const status = response.environments.find(e => e.name === environment);
      return {
        image: status?.service?.image,
        health: status?.health ?? 'unknown',
        finding: status?.findings[0]?.title,
      };
    },
  };
}

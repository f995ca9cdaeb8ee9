import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  PromotionRequest,
  errorMessage,
} from '@envplane/plugin-aws-environments-common';
import { AlarmReader } from './AlarmReader';
import { EnvironmentStateReader } from './EnvironmentStateReader';
import { PromotionGateStore } from './PromotionGateStore';

const MINUTE = 60_000;

/**
 * Watches the verification gates of open requests, once per processor
 * pass: the source environment must run the request's image, be healthy
 * and have none of the gate's alarms in ALARM, without interruption, for
 * the gate's soak time. Anything else holds the soak and, when it was
 * counting, starts it over. Approval does not skip the gate: the lease
 * store only hands out approved requests whose gate has passed.
 *
 * What cannot be read (the status, the alarms) holds the gate too: a gate
 * that cannot see must not open.
 */
export class PromotionGateVerifier {
  constructor(
    private readonly options: {
      gates: PromotionGateStore;
      stateReader: EnvironmentStateReader;
      alarms?: AlarmReader;
      auth: AuthService;
      logger: LoggerService;
      now: () => Date;
    },
  ) {}

  async verifyAll(): Promise<void> {
    const { gates, logger } = this.options;
    for (const promotion of await gates.listUnverified()) {
      try {
        await this.verify(promotion);
      } catch (error) {
        logger.warn(
          `Promotion ${promotion.id}: could not check its gate: ${errorMessage(
            error,
          )}`,
        );
      }
    }
  }

  private async verify(promotion: PromotionRequest): Promise<void> {
    const { gates, now } = this.options;
    const gate = promotion.gate!;
    const blocked = await this.blockedBy(promotion);
    if (blocked) {
      await gates.block(promotion.id, blocked);
      return;
    }
    const soak = `${formatMinutes(gate.soakMinutes)} healthy in ${
      promotion.from
    }`;
    if (!gate.verifyingSince) {
      await gates.startVerifying(
        promotion.id,
        `${promotion.from} runs ${promotion.image} and is healthy; ${soak} needed`,
      );
      if (gate.soakMinutes > 0) {
        return;
      }
    } else if (
      now().getTime() - new Date(gate.verifyingSince).getTime() <
      gate.soakMinutes * MINUTE
    ) {
      return;
    }
    await gates.markVerified(promotion.id, `Verified: ${soak}`);
  }

  /** Why the soak cannot count now, or undefined when everything holds. */
  private async blockedBy(
    promotion: PromotionRequest,
  ): Promise<string | undefined> {
    const { stateReader, alarms, auth } = this.options;
    const { from, image } = promotion;
    const credentials = await auth.getOwnServiceCredentials();
    let state;
    try {
      state = await stateReader.getEnvironmentState(
        promotion.entityRef,
        from,
        credentials,
      );
    } catch (error) {
      return `the status of ${from} could not be read: ${errorMessage(error)}`;
    }
    if (state.image !== image) {
      return `${from} runs ${state.image ?? 'nothing'}, not ${image}`;
    }
    if (state.health !== 'healthy') {
      return `${from} is ${state.health}${
        state.finding ? `: ${state.finding}` : ''
      }`;
    }
    const { alarmNames, alarmPrefixes } = promotion.gate!;
    if (alarmNames.length + alarmPrefixes.length === 0) {
      return undefined;
    }
    if (!alarms) {
      return 'the gate names CloudWatch alarms but no alarm reader is configured';
    }
    try {
      const firing = await alarms.alarmsInAlarm(from, {
        names: alarmNames,
        prefixes: alarmPrefixes,
      });
      if (firing.length > 0) {
        return `alarm ${firing.join(', ')} in ALARM in ${from}`;
      }
    } catch (error) {
      return errorMessage(error);
    }
    return undefined;
  }
}

function formatMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

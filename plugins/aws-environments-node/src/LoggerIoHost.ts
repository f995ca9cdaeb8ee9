import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  IIoHost,
  IoMessage,
  IoRequest,
  StackActivity,
} from '@aws-cdk/toolkit-lib';
import { cleanErrorText, stripAnsi } from './deployError';
import { FailingEvent } from './stackEvents';

/**
 * Streams toolkit-lib's messages into a logger (a scaffolder task's log, or
 * a promotion's progress): every CloudFormation resource event as
 * "resource N of M", each failure with CloudFormation's reason, errors and
 * warnings cleaned of emoji, colours, source locations and stack traces
 * (`cleanErrorText`). Everything else (asset and synthesis chatter) goes
 * to debug. Requests (approval prompts) get the toolkit's default answer:
 * neither a scaffolder task nor a background promotion can ask anyone.
 */
export class LoggerIoHost implements IIoHost {
  /** The *_FAILED resource events seen, in the order they came. */
  readonly failures: FailingEvent[] = [];

  constructor(
    private readonly logger: LoggerService,
    private readonly label: string,
  ) {}

  async notify(msg: IoMessage<unknown>): Promise<void> {
    if (msg.code === 'CDK_TOOLKIT_I5502') {
      this.activity(msg.data as StackActivity);
      return;
    }
    if (msg.code === 'CDK_TOOLKIT_I5501') {
      const data = msg.data as { resourcesTotal?: number };
      this.logger.info(
        `${this.label}: CloudFormation started${
          data.resourcesTotal ? ` (${data.resourcesTotal} resources)` : ''
        }`,
      );
      return;
    }
    switch (msg.level) {
      case 'error':
        this.logger.error(`${this.label}: ${cleanErrorText(msg.message)}`);
        break;
      case 'warn':
        this.logger.warn(`${this.label}: ${cleanErrorText(msg.message)}`);
        break;
      case 'result':
        this.logger.info(`${this.label}: ${cleanErrorText(msg.message)}`);
        break;
      default:
        this.logger.debug(`${this.label}: ${stripAnsi(msg.message)}`);
    }
  }

  async requestResponse<T>(msg: IoRequest<unknown, T>): Promise<T> {
    this.logger.debug(
      `${this.label}: ${stripAnsi(msg.message)} (answered ${String(
        msg.defaultResponse,
      )})`,
    );
    return msg.defaultResponse;
  }

  private activity(activity: StackActivity) {
    const { event, progress } = activity;
    // toolkit-lib counts an update's clean-up deletions as completions
    // too, which can take it past the change set's total.
    const position =
      progress.total !== undefined
        ? `resource ${Math.min(progress.completed, progress.total)} of ${
            progress.total
          }`
        : `resource ${progress.completed}`;
    const status = event.ResourceStatus ?? '';
    const reason = event.ResourceStatusReason
      ? `: ${event.ResourceStatusReason}`
      : '';
    const line = `${this.label}: ${position}: ${event.LogicalResourceId} (${event.ResourceType}) ${status}${reason}`;
    if (status.endsWith('_FAILED')) {
      this.failures.push({
        logicalId: event.LogicalResourceId ?? '?',
        resourceType: event.ResourceType ?? '?',
        status,
        reason: event.ResourceStatusReason ?? 'no reason given',
        timestamp: event.Timestamp,
      });
      this.logger.error(line);
    } else {
      this.logger.info(line);
    }
  }
}

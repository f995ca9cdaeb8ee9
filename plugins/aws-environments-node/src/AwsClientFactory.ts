import { Config } from '@backstage/config';
import {
  AwsCredentialProvider,
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';

/**
 * The AWS SDK's credential provider, as `@backstage/integration-aws-node`
 * hands it out.
 *
 * @public
 */
export type CredentialIdentityProvider =
  AwsCredentialProvider['sdkCredentialProvider'];

/**
 * Socket-level limits of one HTTP request, as the SDK's Node.js request
 * handler takes them.
 *
 * @public
 */
export type AwsRequestHandlerOptions = {
  /** Milliseconds a request may wait for its response. */
  requestTimeout: number;
  /** Milliseconds to establish the connection. */
  connectionTimeout: number;
};

/**
 * What {@link AwsClientFactory} passes to every SDK client it builds.
 *
 * @public
 */
export interface AwsClientConfig {
  /** The region of the client. */
  region: string;
  /** Credentials of the account. */
  credentials: CredentialIdentityProvider;
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** The SDK's retry mode. */
  retryMode: string;
  /** Socket-level limits of one HTTP request. */
  requestHandler: AwsRequestHandlerOptions;
}

/**
 * An AWS SDK v3 client class, such as `CloudFormationClient`.
 *
 * @public
 */
export type AwsClientConstructor<T> = new (config: AwsClientConfig) => T;

/**
 * How one client differs from the factory's default policy.
 *
 * @public
 */
export interface AwsClientOptions {
  /**
   * The SDK's retry mode: `standard` (the default), or `adaptive`, which
   * also slows the client's own sending after a throttled call: for
   * callers that page through a whole account in a burst.
   */
  retryMode?: 'standard' | 'adaptive';
}

/**
 * Where a client talks to: an account and a region (an
 * `AwsEnvironmentConfig` is one).
 *
 * @public
 */
export interface AwsClientTarget {
  /** The AWS account id. */
  accountId: string;
  /** The AWS region. */
  region: string;
}

/**
 * The part of Backstage's metrics service (`metricsServiceRef` from
 * `@backstage/backend-plugin-api/alpha`, which wraps an OpenTelemetry
 * meter) that these plugins use; pass the plugin's metrics service.
 *
 * @public
 */
export interface PluginMetrics {
  /** Creates a counter. */
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: Record<string, string>): void };
  /** Creates a histogram. */
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): { record(value: number, attributes?: Record<string, string>): void };
}

/**
 * The counter of AWS calls: one per HTTP attempt (a retried call counts
 * each attempt), with the attributes `service` (e.g. `ECS`), `operation`
 * (e.g. `DescribeServices`) and `outcome`: `ok`, `throttled` (AWS asked to
 * slow down) or `failed` (any other error). Prometheus shows it as
 * `envplane_aws_calls_total`.
 *
 * @public
 */
export const AWS_CALLS_METRIC = 'envplane.aws.calls';

/**
 * Options of {@link AwsClientFactory}.
 *
 * @public
 */
export interface AwsClientFactoryOptions {
  /** Hands out credentials per account. */
  credentialsManager: AwsCredentialsManager;
  /** Counts every AWS call in {@link AWS_CALLS_METRIC}. */
  metrics?: PluginMetrics;
  /** Milliseconds one HTTP request may wait for its response; default 5000. */
  requestTimeoutMs?: number;
  /** Milliseconds to establish a connection; default 2000. */
  connectionTimeoutMs?: number;
}

/**
 * The one place AWS SDK clients are built: per client class, account and
 * region, with credentials from the `aws` config section
 * (`@backstage/integration-aws-node`), and kept, since clients hold
 * connection pools and credential caches worth reusing.
 *
 * Every client gets the same policy: the SDK's standard retry strategy
 * with three attempts (a throttled call gets two more chances, then its
 * caller reports it), and bounded connection and request times, so a
 * stalled socket fails the call instead of hanging it.
 *
 * No endpoint is ever set here. Local runs reach the sandbox through the
 * SDK's own `AWS_ENDPOINT_URL` environment variable, so this code cannot
 * tell the sandbox from AWS.
 *
 * @public
 */
export class AwsClientFactory {
  private readonly credentialsByAccount = new Map<
    string,
    Promise<CredentialIdentityProvider>
  >();
  private readonly clients = new Map<
    AwsClientConstructor<unknown>,
    Map<string, unknown>
  >();

  /** A factory with credentials from the `aws` section of `config`. */
  static fromConfig(
    config: Config,
    options: Omit<AwsClientFactoryOptions, 'credentialsManager'> = {},
  ): AwsClientFactory {
    return new AwsClientFactory({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      ...options,
    });
  }

  private readonly callCounter?: CallCounter;

  constructor(private readonly options: AwsClientFactoryOptions) {
    this.callCounter = options.metrics?.createCounter(AWS_CALLS_METRIC, {
      description:
        'AWS API calls (HTTP attempts) by service, operation and outcome',
    });
  }

  /** The SDK credential provider of an account. */
  credentials(accountId: string): Promise<CredentialIdentityProvider> {
    let credentials = this.credentialsByAccount.get(accountId);
    if (!credentials) {
      credentials = this.options.credentialsManager
        .getCredentialProvider({ accountId })
        .then(provider => provider.sdkCredentialProvider);
      // A failed lookup (say, a role not yet configured) must be retried
      // on the next call rather than remembered.
      credentials.catch(() => this.credentialsByAccount.delete(accountId));
      this.credentialsByAccount.set(accountId, credentials);
    }
    return credentials;
  }

  /** The client of a class for an account and region, built on first use. */
  async client<T>(
    ClientClass: AwsClientConstructor<T>,
    target: AwsClientTarget,
    clientOptions: AwsClientOptions = {},
  ): Promise<T> {
    const retryMode = clientOptions.retryMode ?? 'standard';
    const credentials = await this.credentials(target.accountId);
    let byTarget = this.clients.get(ClientClass);
    if (!byTarget) {
      byTarget = new Map();
      this.clients.set(ClientClass, byTarget);
    }
    const key = `${target.accountId}/${target.region}/${retryMode}`;
    let client = byTarget.get(key) as T | undefined;
    if (!client) {
      client = new ClientClass({
        region: target.region,
        credentials,
        maxAttempts: 3,
        retryMode,
        requestHandler: {
          requestTimeout: this.options.requestTimeoutMs ?? 5000,
          connectionTimeout: this.options.connectionTimeoutMs ?? 2000,
        },
      });
      if (this.callCounter) countCalls(client, this.callCounter);
      byTarget.set(key, client);
    }
    return client;
  }
}

/** What an SDK v3 client exposes for middleware, whatever its service. */
interface MiddlewareClient {
  middlewareStack?: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'finalizeRequest'; priority: 'low'; name: string },
    ): void;
  };
}

// AWS's throttling error codes (the SDK's retry strategy uses the same list).
const THROTTLING =
  /^(Throttling|ThrottlingException|ThrottledException|RequestThrottledException|TooManyRequestsException|ProvisionedThroughputExceededException|TransactionInProgressException|RequestLimitExceeded|BandwidthLimitExceeded|LimitExceededException|RequestThrottled|SlowDown|PriorRequestNotComplete|EC2ThrottledException)$/;

type CallCounter = ReturnType<PluginMetrics['createCounter']>;

// Low in the finalizeRequest step: inside the retry loop, so each attempt
// is seen, and outside deserialization, so AWS's error code is known.
function countCalls(client: unknown, counter: CallCounter) {
  (client as MiddlewareClient).middlewareStack?.add(
    (next, context) => async args => {
      const call = {
        service: (context.clientName ?? 'unknown').replace(/Client$/, ''),
        operation: (context.commandName ?? 'unknown').replace(/Command$/, ''),
      };
      try {
        const output = await next(args);
        counter.add(1, { ...call, outcome: 'ok' });
        return output;
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        const outcome = THROTTLING.test(name) ? 'throttled' : 'failed';
        counter.add(1, { ...call, outcome });
        throw error;
      }
    },
    { step: 'finalizeRequest', priority: 'low', name: 'envplaneCallCounter' },
  );
}

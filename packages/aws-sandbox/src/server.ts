/*
 * HTTP front door: reads the request, refuses unsigned ones, works out which
 * service and operation it is for (credential scope, X-Amz-Target or form
 * Action), applies injected faults, calls the handler and renders the result
 * in the protocol the SDK used. Every failure becomes an AWS-shaped response;
 * nothing a client sends may crash the process.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { AwsError } from './protocol/errors';
import { parseSigV4 } from './protocol/sigv4';
import { jsonError, parseJsonBody, toJsonBody } from './protocol/awsJson';
import { awsQueryCodec, queryError } from './protocol/awsQuery';
import type { Sandbox } from './sandbox';
import type {
  QueryCodec,
  RequestContext,
  ServiceDefinition,
} from './services/types';
import { injectedError, latencyFor } from './faults';
import { handleAdmin } from './admin';

export const MAX_BODY_BYTES = 1024 * 1024;

class TooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', err => {
      if (!failed) reject(err);
    });
  });
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

type Protocol = 'json' | 'query';

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function sendReply(res: http.ServerResponse, reply: Reply) {
  if (res.headersSent) return;
  const body = Buffer.from(reply.body, 'utf8');
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(body.length),
  });
  res.end(body);
}

const isJson = (def: ServiceDefinition) =>
  def.protocol === 'json1.0' || def.protocol === 'json1.1';

/** How the service reads and answers form-encoded requests, if it does. */
function codecOf(def: ServiceDefinition): QueryCodec | undefined {
  if (def.query) return def.query;
  if (def.protocol === 'query' && def.version && def.xmlns) {
    return awsQueryCodec(def.version, def.xmlns);
  }
  return undefined;
}

function errorReply(
  err: AwsError,
  protocol: Protocol,
  requestId: string,
  def?: ServiceDefinition,
): Reply {
  if (protocol === 'query') {
    const codec = def && codecOf(def);
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: codec ? codec.error(err, requestId) : queryError(err, requestId),
    };
  }
  const headers: Record<string, string> = {
    'content-type':
      def?.protocol === 'json1.0'
        ? 'application/x-amz-json-1.0'
        : 'application/x-amz-json-1.1',
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.code,
  };
  if (def?.queryCompatible) {
    headers['x-amzn-query-error'] = `${err.queryCode ?? err.code};${err.fault}`;
  }
  return { status: err.status, headers, body: jsonError(err) };
}

export function createServer(sandbox: Sandbox): http.Server {
  const byTarget = () => {
    const map = new Map<string, ServiceDefinition>();
    for (const s of sandbox.services) {
      if (s.targetPrefix) map.set(s.targetPrefix, s);
    }
    return map;
  };
  const targets = byTarget();
  const codecs = new Map<ServiceDefinition, QueryCodec>();
  for (const s of sandbox.services) {
    const codec = codecOf(s);
    if (codec) codecs.set(s, codec);
  }
  // The form's Version names the service; without one, the signing name.
  const querySvc = (version: string | null, signing: string) =>
    [...codecs.keys()].find(s =>
      version ? codecs.get(s)!.version === version : s.signingName === signing,
    ) ?? [...codecs.keys()].find(s => s.signingName === signing);

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://sandbox.local');
    if (url.pathname.startsWith('/_sandbox/') || url.pathname === '/_sandbox') {
      await handleAdmin(sandbox, req, res, url);
      return;
    }
    const target = req.headers['x-amz-target'];
    const contentType = String(req.headers['content-type'] ?? '');
    const protocol: Protocol =
      typeof target === 'string' || contentType.includes('json')
        ? 'json'
        : 'query';
    let def: ServiceDefinition | undefined;
    let reply: Reply;
    try {
      let body: Buffer;
      try {
        body = await readBody(req, MAX_BODY_BYTES);
      } catch (e) {
        if (e instanceof TooLarge) {
          req.resume();
          res.setHeader('connection', 'close');
          throw new AwsError(
            protocol === 'json' ? 'SerializationException' : 'ValidationError',
            `Request payload exceeds the maximum allowed size of ${MAX_BODY_BYTES} bytes`,
          );
        }
        throw e;
      }
      const identity = parseSigV4(req.headers, url.searchParams);
      if (!identity) {
        throw protocol === 'json'
          ? new AwsError(
              'MissingAuthenticationTokenException',
              'Missing Authentication Token',
              403,
            )
          : new AwsError(
              'MissingAuthenticationToken',
              'Request is missing Authentication Token',
              403,
            );
      }

      let operation: string;
      let input: Record<string, any>;
      if (protocol === 'json') {
        if (typeof target !== 'string' || !target.includes('.')) {
          throw new AwsError(
            'UnknownOperationException',
            'Missing or malformed X-Amz-Target header',
          );
        }
        const dot = target.lastIndexOf('.');
        def = targets.get(target.slice(0, dot));
        operation = target.slice(dot + 1);
        if (!def) {
          def = sandbox.services.find(
            s => s.signingName === identity.service && isJson(s),
          );
        }
        if (!def || !def.operations[operation]) {
          throw new AwsError(
            'UnknownOperationException',
            `Unknown operation ${target}`,
          );
        }
        input = parseJsonBody(body.toString('utf8'));
      } else {
        const form = new URLSearchParams(
          req.method === 'GET' ? url.search : body.toString('utf8'),
        );
        const action = form.get('Action');
        def = querySvc(form.get('Version'), identity.service);
        if (!action) {
          throw new AwsError('MissingAction', 'Missing Action parameter');
        }
        if (!def || !def.operations[action]) {
          throw new AwsError(
            'InvalidAction',
            `The action or operation requested is invalid. Verify that the action is typed correctly.`,
          );
        }
        operation = action;
        input = codecs.get(def)!.decode(action, form);
      }

      sandbox.options.log?.(`${def.name} ${operation}`);
      const caller = sandbox.callerFor(identity.accessKeyId);
      // Rate limits come first, as on AWS: a throttled call reaches nothing.
      const throttled = sandbox.throttling.check({
        account: caller.account,
        region: identity.region,
        service: def.name,
        operation,
        query: protocol === 'query',
      });
      if (throttled) throw throttled;
      const delay = latencyFor(sandbox.state.faults, def.name, operation);
      if (delay > 0) await sleep(delay);
      const injected = injectedError(
        sandbox.state.faults,
        def.name,
        operation,
        () => sandbox.rollFault(),
        protocol === 'query',
      );
      if (injected) throw injected;

      sandbox.clock.sync();
      const ctx: RequestContext = {
        sandbox,
        region: identity.region,
        regionState: sandbox.region(caller.account, identity.region),
        caller,
        requestId,
        now: sandbox.now(),
      };
      const output = await def.operations[operation](input, ctx);
      sandbox.changed();
      if (protocol === 'query') {
        reply = {
          status: 200,
          headers: {
            'content-type': 'text/xml',
            'x-amzn-requestid': requestId,
          },
          body: codecs.get(def)!.response(operation, output, requestId),
        };
      } else {
        reply = {
          status: 200,
          headers: {
            'content-type':
              def.protocol === 'json1.0'
                ? 'application/x-amz-json-1.0'
                : 'application/x-amz-json-1.1',
            'x-amzn-requestid': requestId,
          },
          body: toJsonBody(output),
        };
      }
    } catch (e) {
      const err =
        e instanceof AwsError
          ? e
          : new AwsError(
              protocol === 'query' ? 'InternalFailure' : 'InternalFailure',
              'The request processing has failed because of an unknown error, exception or failure.',
              500,
            );
      if (!(e instanceof AwsError)) {
        process.stderr.write(
          `aws-sandbox: internal error in ${def?.name ?? '?'}: ${
            (e as Error)?.stack ?? e
          }\n`,
        );
      }
      reply = errorReply(err, protocol, requestId, def);
    }
    sendReply(res, reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(e => {
      process.stderr.write(`aws-sandbox: ${(e as Error)?.stack ?? e}\n`);
      try {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain' });
        }
        res.end('internal error');
      } catch {
        // the socket is gone; nothing to do
      }
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    } else {
      socket.destroy();
    }
  });
  server.keepAliveTimeout = 5000;
  return server;
}

/*
 * The admin API under /_sandbox/ (a path no AWS SDK uses): health, the clock,
 * fault injection, throttling, assumable roles and reset. JSON in, JSON out;
 * never requires a signature.
 */
import type http from 'node:http';
import type { Sandbox } from './sandbox';
import { parseFault } from './faults';
import { parseThrottleMode } from './throttling/throttler';

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

async function readJson(req: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw new Error('Body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('Body is not valid JSON');
  }
}

export async function handleAdmin(
  sandbox: Sandbox,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const route = url.pathname.replace(/^\/_sandbox\/?/, '').replace(/\/$/, '');
  const method = req.method ?? 'GET';
  try {
    if (route === 'health' && method === 'GET') {
      sandbox.clock.sync();
      send(res, 200, {
        status: 'ok',
        clock: {
          mode: sandbox.clock.mode,
          now: new Date(sandbox.now()).toISOString(),
          epochMs: sandbox.now(),
        },
        services: sandbox.services.map(s => s.name),
        faults: sandbox.state.faults.length,
      });
      return;
    }
    if (route === 'clock' && method === 'GET') {
      send(res, 200, {
        mode: sandbox.clock.mode,
        now: new Date(sandbox.now()).toISOString(),
        epochMs: sandbox.now(),
      });
      return;
    }
    if (route === 'clock/advance' && method === 'POST') {
      const body = await readJson(req);
      const seconds = Number(body.seconds);
      if (!Number.isFinite(seconds) || seconds < 0) {
        send(res, 400, { error: 'seconds must be a non-negative number' });
        return;
      }
      sandbox.clock.advance(seconds * 1000);
      sandbox.changed();
      send(res, 200, {
        mode: sandbox.clock.mode,
        now: new Date(sandbox.now()).toISOString(),
        epochMs: sandbox.now(),
      });
      return;
    }
    if (route === 'faults' && method === 'GET') {
      send(res, 200, { faults: sandbox.state.faults });
      return;
    }
    if (route === 'faults' && method === 'POST') {
      const body = await readJson(req);
      let fault;
      try {
        fault = sandbox.addFault(parseFault(body));
      } catch (e) {
        send(res, 400, { error: (e as Error).message });
        return;
      }
      send(res, 201, fault);
      return;
    }
    if (route === 'faults' && method === 'DELETE') {
      const count = sandbox.state.faults.length;
      sandbox.clearFaults();
      send(res, 200, { deleted: count });
      return;
    }
    const faultMatch = /^faults\/([^/]+)$/.exec(route);
    if (faultMatch && method === 'DELETE') {
      const id = decodeURIComponent(faultMatch[1]);
      if (sandbox.removeFault(id)) send(res, 200, { deleted: id });
      else send(res, 404, { error: `No fault ${id}` });
      return;
    }
    if (route === 'throttling' && method === 'GET') {
      send(res, 200, sandbox.throttling.report());
      return;
    }
    if (route === 'throttling' && method === 'POST') {
      const body = await readJson(req);
      sandbox.throttling.setMode(parseThrottleMode(body.mode));
      send(res, 200, { mode: sandbox.throttling.mode });
      return;
    }
    if (route === 'throttling' && method === 'DELETE') {
      sandbox.throttling.reset();
      send(res, 200, { mode: sandbox.throttling.mode, reset: true });
      return;
    }
    if (route === 'roles' && method === 'GET') {
      send(res, 200, { roles: sandbox.roles.list() ?? null });
      return;
    }
    if (route === 'roles' && method === 'POST') {
      const body = await readJson(req);
      if (body.roles !== null && !Array.isArray(body.roles)) {
        send(res, 400, { error: 'roles must be a list of role ARNs or null' });
        return;
      }
      sandbox.roles.set(body.roles ?? undefined);
      send(res, 200, { roles: sandbox.roles.list() ?? null });
      return;
    }
    if (route === 'reset' && method === 'POST') {
      sandbox.reset();
      send(res, 200, { status: 'reset' });
      return;
    }
    send(res, 404, { error: `No admin route ${method} /_sandbox/${route}` });
  } catch (e) {
    send(res, 400, { error: (e as Error).message });
  }
}

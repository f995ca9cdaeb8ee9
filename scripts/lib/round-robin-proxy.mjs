// A small round-robin HTTP proxy in front of backend replicas, as a load
// balancer would sit in front of them in production. Each request (and
// each WebSocket upgrade) goes to the next replica that accepts the
// connection; a stopped replica is skipped. Every response names the
// replica that served it in `x-replica` (its index from 0), so tests can
// tell which one answered.
//
//   node scripts/lib/round-robin-proxy.mjs PORT TARGET_URL [TARGET_URL...]
import http from 'node:http';
import net from 'node:net';

const [port, ...targets] = process.argv.slice(2);
if (!port || targets.length === 0) {
  console.error('usage: round-robin-proxy.mjs PORT TARGET_URL [TARGET_URL...]');
  process.exit(2);
}
const upstreams = targets.map(t => new URL(t));
let next = 0;

// The replicas to try for one request, starting with the next in turn.
function rotation() {
  const start = next;
  next = (next + 1) % upstreams.length;
  return upstreams.map((_, i) => (start + i) % upstreams.length);
}

function forward(req, res, order) {
  const [index, ...rest] = order;
  const upstream = upstreams[index];
  const outgoing = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    incoming => {
      res.writeHead(incoming.statusCode ?? 502, {
        ...incoming.headers,
        'x-replica': String(index),
      });
      incoming.pipe(res);
    },
  );
  outgoing.on('error', err => {
    // A refused connection is retried on another replica (the body was not
    // sent, so nothing is sent twice); so is any failure of a GET or HEAD
    // before its response started, e.g. a kept-alive socket to a replica
    // that died, as load balancers retry idempotent requests.
    const idempotent = req.method === 'GET' || req.method === 'HEAD';
    const retry = err.code === 'ECONNREFUSED' || idempotent;
    if (retry && rest.length > 0 && !res.headersSent) {
      forward(req, res, rest);
      return;
    }
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: replica ${index} failed: ${err.code ?? err.message}`);
  });
  // Wait for the connection before streaming the body, so a refused
  // replica has read none of it.
  outgoing.on('socket', socket => {
    socket.once('connect', () => req.pipe(outgoing));
    if (!socket.connecting) req.pipe(outgoing);
  });
}

const server = http.createServer((req, res) => forward(req, res, rotation()));

server.on('upgrade', (req, socket, head) => {
  const [index] = rotation();
  const upstream = upstreams[index];
  const conn = net.connect(Number(upstream.port), upstream.hostname, () => {
    const headers = Object.entries(req.headers)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
      .join('\r\n');
    conn.write(`${req.method} ${req.url} HTTP/1.1\r\n${headers}\r\n\r\n`);
    conn.write(head);
    conn.pipe(socket).pipe(conn);
  });
  conn.on('error', () => socket.destroy());
  socket.on('error', () => conn.destroy());
});

server.listen(Number(port), () => {
  console.log(`round-robin proxy on :${port} -> ${targets.join(', ')}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}

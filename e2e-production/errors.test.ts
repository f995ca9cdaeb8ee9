import {
  APIRequestContext,
  expect,
  request as playwrightRequest,
  test,
} from '@playwright/test';
import { proxyUrl, tokenFor } from './harness';

/*
 * Bad requests to each of the plugin's routes, answered by the built
 * backend in production mode: every error body names the field or the
 * reason, and none carries a stack trace, a file path or what the request
 * sent in its body.
 */
const MARKER = 'zz-echo-marker-7781';
const base = `${proxyUrl}/api/aws-environments`;

interface BadRequest {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** A JSON value, or a string sent as-is (malformed JSON). */
  body?: unknown;
  anonymous?: boolean;
  status: number;
  /** What the message must say: the field or the reason. */
  message: RegExp;
}

const requests: BadRequest[] = [
  {
    name: 'status without a session',
    method: 'GET',
    path: '/entity/default/component/replica-app/status',
    anonymous: true,
    status: 401,
    message: /token|auth|credentials/i,
  },
  {
    name: 'status with an unknown range',
    method: 'GET',
    path: '/entity/default/component/replica-app/status?range=2y',
    status: 400,
    message: /"range"/,
  },
  {
    name: 'status of an entity the catalog does not hold',
    method: 'GET',
    path: '/entity/default/component/no-such-service/status',
    status: 404,
    message: /no-such-service/,
  },
  {
    name: 'status with logs neither true nor false',
    method: 'GET',
    path: '/entity/default/component/replica-app/status?logs=maybe',
    status: 400,
    message: /"logs"/,
  },
  {
    name: 'logs without an environment',
    method: 'GET',
    path: '/entity/default/component/replica-app/logs',
    status: 400,
    message: /"environment"/,
  },
  {
    name: 'overview of an entity the catalog does not hold',
    method: 'GET',
    path: '/entity/default/component/no-such-service/overview',
    status: 404,
    message: /no-such-service/,
  },
  {
    name: 'overview page with a limit over 100',
    method: 'GET',
    path: '/overview?limit=1000',
    status: 400,
    message: /"limit"/,
  },
  {
    name: 'promotions with a bad limit',
    method: 'GET',
    path: '/promotions?limit=lots',
    status: 400,
    message: /"limit"/,
  },
  {
    name: 'promotion summary without entity refs',
    method: 'GET',
    path: '/promotions/summary',
    status: 400,
    message: /"entityRefs"/,
  },
  {
    name: 'delivery metrics with bad days',
    method: 'GET',
    path: '/delivery-metrics?entityRef=component:default/replica-app&days=-3',
    status: 400,
    message: /"days"/,
  },
  {
    name: 'an unknown promotion',
    method: 'GET',
    path: '/promotions/00000000-0000-4000-8000-000000000000',
    status: 404,
    message: /not found/i,
  },
  {
    name: 'a promotion with an unknown field',
    method: 'POST',
    path: '/promotions',
    body: {
      entityRef: 'component:default/replica-app',
      from: 'test',
      to: 'qa',
      secret: MARKER,
    },
    status: 400,
    message: /Body/,
  },
  {
    name: 'a promotion of an entity ref that is not one',
    method: 'POST',
    path: '/promotions',
    body: { entityRef: `${MARKER}:::`, from: 'test', to: 'qa' },
    status: 400,
    message: /entityRef/,
  },
  {
    name: 'a promotion as malformed JSON',
    method: 'POST',
    path: '/promotions',
    body: `{"entityRef": "${MARKER}`,
    status: 400,
    message: /JSON/,
  },
  {
    name: 'a rollback without an environment',
    method: 'POST',
    path: '/rollbacks',
    body: { entityRef: 'component:default/replica-app', note: MARKER },
    status: 400,
    message: /Body/,
  },
  {
    name: 'an approval with a comment that is not text',
    method: 'POST',
    path: '/promotions/00000000-0000-4000-8000-000000000000/approve',
    body: { comment: { text: MARKER } },
    status: 400,
    message: /"comment"/,
  },
  {
    name: 'a rejection of an unknown promotion',
    method: 'POST',
    path: '/promotions/00000000-0000-4000-8000-000000000000/reject',
    body: { comment: 'no' },
    status: 404,
    message: /not found/i,
  },
];

let api: APIRequestContext;
let token: string;

test.beforeAll(async () => {
  api = await playwrightRequest.newContext();
  token = await tokenFor(api, 'guest');
});

for (const r of requests) {
  test(`${r.name}: ${r.status}, a clear message, no stack, path or echo`, async () => {
    const headers: Record<string, string> = r.anonymous
      ? {}
      : { Authorization: `Bearer ${token}` };
    const res = await api.fetch(`${base}${r.path}`, {
      method: r.method,
      headers: { ...headers, 'content-type': 'application/json' },
      data:
        r.body === undefined
          ? undefined
          : typeof r.body === 'string'
          ? r.body
          : JSON.stringify(r.body),
    });
    const text = await res.text();
    expect(res.status(), text).toBe(r.status);
    const body = JSON.parse(text);
    expect(body.error?.message, text).toMatch(r.message);
    expect(text).not.toMatch(/"stack"|\bat [\w.<>]+ \(|node:internal/);
    // No absolute path of this machine or of the image.
    expect(text).not.toMatch(/\/(work|home|root|tmp|app|usr)\/[\w.-]+\//);
    expect(text).not.toContain(MARKER);
  });
}

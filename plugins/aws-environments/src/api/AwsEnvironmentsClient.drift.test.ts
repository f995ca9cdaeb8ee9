import { ResponseError } from '@backstage/errors';
import { AwsEnvironmentsClient } from './AwsEnvironmentsClient';

const baseUrl = 'http://localhost:7007/api/aws-environments';
const entity = { kind: 'Component', namespace: 'default', name: 'shop' };

function clientAnswering(answer: () => Response) {
  const calls: Array<{ url: URL; init?: RequestInit }> = [];
  const client = new AwsEnvironmentsClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push({ url: new URL(String(input)), init });
        return answer();
      },
    },
  });
  return { client, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('AwsEnvironmentsClient drift', () => {
  it("reads an entity's drift by its ref", async () => {
    const { client, calls } = clientAnswering(() =>
      json({ entityRef: 'component:default/shop', environments: [] }),
    );
    expect(await client.getDrift(entity)).toEqual({
      entityRef: 'component:default/shop',
      environments: [],
    });
    expect(calls[0].url.pathname).toBe(
      '/api/aws-environments/entity/default/Component/shop/drift',
    );
  });

  it('starts a check with a POST naming the environment', async () => {
    const { client, calls } = clientAnswering(() =>
      json({ environment: 'qa', status: 'checking' }, 202),
    );
    expect(await client.checkDrift({ entity, environment: 'qa' })).toEqual({
      environment: 'qa',
      status: 'checking',
    });
    expect(calls[0].init?.method).toBe('POST');
    expect(calls[0].url.pathname).toBe(
      '/api/aws-environments/entity/default/Component/shop/drift',
    );
    expect(calls[0].url.searchParams.get('environment')).toBe('qa');
  });

  it("rejects a refused check with the backend's status and message", async () => {
    const message = 'Drift of shop/qa cannot be checked now: ...';
    const { client } = clientAnswering(() =>
      // The body the backend sends with a 429, in Backstage's error shape.
      json(
        {
          error: { name: 'TooManyRequestsError', message },
          request: { method: 'POST', url: '/drift' },
          response: { statusCode: 429 },
        },
        429,
      ),
    );
    const error = await client
      .checkDrift({ entity, environment: 'qa' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(429);
    expect(error.body.error.message).toBe(message);
  });
});

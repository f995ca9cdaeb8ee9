import { AwsEnvironmentsClient } from './AwsEnvironmentsClient';

const baseUrl = 'http://localhost:7007/api/aws-environments';

function clientAnswering(answer: (url: URL) => Response) {
  const calls: Array<{ url: URL; init?: RequestInit }> = [];
  const client = new AwsEnvironmentsClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(String(input));
        calls.push({ url, init });
        return answer(url);
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

describe('AwsEnvironmentsClient', () => {
  it('reads the status of an entity by its ref and range', async () => {
    const { client, calls } = clientAnswering(() => json({ environments: [] }));
    await client.getStatus({
      entity: { kind: 'Component', namespace: 'default', name: 'shop' },
      range: '6h',
      environment: 'qa',
    });
    expect(calls[0].url.pathname).toBe(
      '/api/aws-environments/entity/default/Component/shop/status',
    );
    expect(Object.fromEntries(calls[0].url.searchParams)).toEqual({
      range: '6h',
      environment: 'qa',
    });
  });

  it('fails with the status of a failed status read', async () => {
    const { client } = clientAnswering(() =>
      json({ error: { name: 'NotFoundError', message: 'gone' } }, 404),
    );
    await expect(
      client.getStatus({
        entity: { kind: 'Component', namespace: 'default', name: 'x' },
        range: '1h',
      }),
    ).rejects.toThrow(/404/);
  });

  it('sends promotion calls through the fetch API, with their bodies', async () => {
    const { client, calls } = clientAnswering(url =>
      url.pathname.endsWith('/summary') ? json({}) : json({ id: 'p-1' }),
    );
    await client.approvePromotion('p-1', 'looks good');
    await client.getPromotionSummary(['component:default/a']);
    expect(calls.map(c => [c.init?.method, c.url.pathname])).toEqual([
      ['POST', '/api/aws-environments/promotions/p-1/approve'],
      ['GET', '/api/aws-environments/promotions/summary'],
    ]);
    expect(calls[0].init?.body).toBe('{"comment":"looks good"}');
  });
});

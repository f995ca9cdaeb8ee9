import { ResponseError } from '@backstage/errors';
import { PROMOTION_SUMMARY_MAX_ENTITY_REFS } from './promotions';
import { PromotionsClient, PromotionsFetchInit } from './PromotionsClient';

const baseUrl = 'http://localhost:7007/api/aws-environments';

function clientAnswering(answer: (url: URL) => Response) {
  const calls: Array<{ url: URL; init: PromotionsFetchInit }> = [];
  const client = new PromotionsClient({
    baseUrl: async () => baseUrl,
    fetch: async (url, init) => {
      const parsed = new URL(url);
      calls.push({ url: parsed, init });
      return answer(parsed);
    },
  });
  return { client, calls, urls: () => calls.map(c => c.url) };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('PromotionsClient.getPromotionSummary', () => {
  it('asks in batches the backend accepts and merges the answers', async () => {
    const refs = Array.from(
      { length: 250 },
      (_, i) => `component:default/service-${i}`,
    );
    const { client, urls } = clientAnswering(url => {
      const asked = url.searchParams.get('entityRefs')!.split(',');
      return json(
        Object.fromEntries(asked.map(ref => [ref, { qa: { open: [] } }])),
      );
    });

    const summary = await client.getPromotionSummary(refs);

    expect(urls().map(u => u.pathname)).toEqual(
      Array(3).fill('/api/aws-environments/promotions/summary'),
    );
    const sizes = urls().map(
      u => u.searchParams.get('entityRefs')!.split(',').length,
    );
    expect(sizes).toEqual([100, 100, 50]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(
      PROMOTION_SUMMARY_MAX_ENTITY_REFS,
    );
    expect(Object.keys(summary).sort()).toEqual([...refs].sort());
  });

  it('makes one request for a page of services', async () => {
    const { client, urls } = clientAnswering(() => json({}));
    await client.getPromotionSummary(['component:default/a']);
    expect(urls()).toHaveLength(1);
    expect(urls()[0].searchParams.get('entityRefs')).toBe(
      'component:default/a',
    );
  });

  it('fails when any batch fails', async () => {
    let calls = 0;
    const { client } = clientAnswering(() =>
      ++calls === 2
        ? json({ error: { name: 'Error', message: 'boom' } }, 500)
        : json({}),
    );
    await expect(
      client.getPromotionSummary(
        Array.from({ length: 150 }, (_, i) => `component:default/s-${i}`),
      ),
    ).rejects.toThrow(/500/);
  });
});

describe('PromotionsClient requests', () => {
  it('posts a new request as JSON', async () => {
    const { client, calls } = clientAnswering(() => json({ id: 'p-1' }, 201));
    const created = await client.createPromotion({
      entityRef: 'component:default/a',
      from: 'qa',
      to: 'staging',
    });
    expect(created).toEqual({ id: 'p-1' });
    expect(calls[0].url.pathname).toBe('/api/aws-environments/promotions');
    expect(calls[0].init).toEqual({
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        entityRef: 'component:default/a',
        from: 'qa',
        to: 'staging',
      }),
    });
  });

  it('reads one request and lists requests by filter, ids escaped', async () => {
    const { client, calls } = clientAnswering(url =>
      url.pathname.endsWith('/promotions') ? json({ items: [] }) : json({}),
    );
    await client.getPromotion('a/b');
    await client.listPromotions({
      entityRef: 'component:default/a',
      status: 'failed',
    });
    expect(calls.map(c => [c.init.method, c.url.pathname])).toEqual([
      ['GET', '/api/aws-environments/promotions/a%2Fb'],
      ['GET', '/api/aws-environments/promotions'],
    ]);
    expect(Object.fromEntries(calls[1].url.searchParams)).toEqual({
      entityRef: 'component:default/a',
      status: 'failed',
    });
    expect(calls[0].init.body).toBeUndefined();
  });

  it('approves and rejects with the comment in the body', async () => {
    const { client, calls } = clientAnswering(() => json({}));
    await client.approvePromotion('p-1', 'ship it');
    await client.rejectPromotion('p-2');
    expect(
      calls.map(c => [c.url.pathname, c.init.method, c.init.body]),
    ).toEqual([
      [
        '/api/aws-environments/promotions/p-1/approve',
        'POST',
        '{"comment":"ship it"}',
      ],
      ['/api/aws-environments/promotions/p-2/reject', 'POST', '{}'],
    ]);
  });

  it('rejects with a ResponseError carrying the backend’s status and error', async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: { name: 'ConflictError', message: 'already open' },
          response: { statusCode: 409 },
        },
        409,
      ),
    );
    const error = await client.getPromotion('p-1').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe('already open');
  });
});

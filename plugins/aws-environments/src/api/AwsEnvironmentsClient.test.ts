import { PROMOTION_SUMMARY_MAX_ENTITY_REFS } from '@envplane/plugin-aws-environments-common';
import { AwsEnvironmentsClient } from './AwsEnvironmentsClient';

const baseUrl = 'http://localhost:7007/api/aws-environments';

function clientAnswering(answer: (url: URL) => Response) {
  const urls: URL[] = [];
  const client = new AwsEnvironmentsClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: async (input: RequestInfo | URL) => {
        const url = new URL(String(input));
        urls.push(url);
        return answer(url);
      },
    },
  });
  return { client, urls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('AwsEnvironmentsClient.getPromotionSummary', () => {
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

    expect(urls.map(u => u.pathname)).toEqual(
      Array(3).fill('/api/aws-environments/promotions/summary'),
    );
    const sizes = urls.map(
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
    expect(urls).toHaveLength(1);
    expect(urls[0].searchParams.get('entityRefs')).toBe('component:default/a');
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

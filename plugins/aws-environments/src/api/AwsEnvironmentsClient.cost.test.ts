import { AwsEnvironmentsClient } from './AwsEnvironmentsClient';

const baseUrl = 'http://localhost:7007/api/aws-environments';

function clientAnswering(answer: () => Response) {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const client = new AwsEnvironmentsClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push({ url: String(input), init });
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

describe('AwsEnvironmentsClient cost estimates', () => {
  it('POSTs the planned run to /cost/estimate', async () => {
    const { client, calls } = clientAnswering(() =>
      json({ currency: 'USD', environments: [] }),
    );
    const request = {
      environments: ['test', 'qa'],
      minCapacity: 1,
      maxCapacity: 4,
      loadBalancer: true,
    };
    await expect(client.estimateCost(request)).resolves.toEqual({
      currency: 'USD',
      environments: [],
    });
    expect(calls[0].url).toBe(`${baseUrl}/cost/estimate`);
    expect(calls[0].init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init?.body))).toEqual(request);
  });

  it("fails with the backend's message when the run is refused", async () => {
    const { client } = clientAnswering(() =>
      json(
        {
          error: {
            name: 'InputError',
            message:
              'Body field "maxCapacity" is invalid: must be at least minCapacity (5)',
          },
        },
        400,
      ),
    );
    await expect(
      client.estimateCost({
        environments: ['test'],
        minCapacity: 5,
        maxCapacity: 2,
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: expect.stringContaining('maxCapacity') } },
    });
  });

  it("reads an entity's cost by its ref", async () => {
    const { client, calls } = clientAnswering(() => json({ environments: [] }));
    await client.getEntityCost({
      kind: 'Component',
      namespace: 'default',
      name: 'shop',
    });
    expect(calls[0].url).toBe(`${baseUrl}/entity/default/Component/shop/cost`);
  });
});

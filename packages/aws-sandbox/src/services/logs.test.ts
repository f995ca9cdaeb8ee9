import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { useSandbox } from '../__testUtils__/sandbox';

const pad = (i: number) => String(i).padStart(2, '0');

describe('CloudWatch Logs', () => {
  const t = useSandbox();
  const logs = () => new CloudWatchLogsClient(t.config);

  it('describes log groups with prefix, pattern and class filters, page by page', async () => {
    const client = logs();
    for (let i = 0; i < 55; i++) {
      await client.send(
        new CreateLogGroupCommand({ logGroupName: `/pg/g${pad(i)}` }),
      );
    }
    await client.send(
      new CreateLogGroupCommand({
        logGroupName: '/other/archive',
        logGroupClass: 'INFREQUENT_ACCESS',
      }),
    );
    await client.send(
      new PutRetentionPolicyCommand({
        logGroupName: '/pg/g00',
        retentionInDays: 14,
      }),
    );

    const first = await client.send(new DescribeLogGroupsCommand({}));
    expect(first.logGroups).toHaveLength(50);
    expect(first.logGroups![0]).toMatchObject({
      logGroupName: '/other/archive',
      logGroupClass: 'INFREQUENT_ACCESS',
    });
    expect(first.logGroups![1]).toMatchObject({
      logGroupName: '/pg/g00',
      retentionInDays: 14,
      logGroupClass: 'STANDARD',
      logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/pg/g00',
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/pg/g00:*',
      creationTime: t.sb.clock.now(),
    });
    expect(first.nextToken).toBeDefined();
    const second = await client.send(
      new DescribeLogGroupsCommand({ nextToken: first.nextToken }),
    );
    expect(second.logGroups!.map(g => g.logGroupName)).toEqual(
      [49, 50, 51, 52, 53, 54].map(i => `/pg/g${pad(i)}`),
    );
    expect(second.nextToken).toBeUndefined();

    const pages: string[][] = [];
    for await (const page of paginateDescribeLogGroups(
      { client, pageSize: 20 },
      { logGroupNamePrefix: '/pg/' },
    )) {
      pages.push(page.logGroups!.map(g => g.logGroupName!));
    }
    expect(pages.map(p => p.length)).toEqual([20, 20, 15]);
    expect(pages.flat()).toEqual(
      Array.from({ length: 55 }, (_, i) => `/pg/g${pad(i)}`),
    );

    const byPattern = await client.send(
      new DescribeLogGroupsCommand({ logGroupNamePattern: 'G5' }),
    );
    expect(byPattern.logGroups!.map(g => g.logGroupName)).toEqual(
      [50, 51, 52, 53, 54].map(i => `/pg/g${i}`),
    );
    const byClass = await client.send(
      new DescribeLogGroupsCommand({ logGroupClass: 'INFREQUENT_ACCESS' }),
    );
    expect(byClass.logGroups!.map(g => g.logGroupName)).toEqual([
      '/other/archive',
    ]);

    await expect(
      client.send(
        new DescribeLogGroupsCommand({
          logGroupNamePrefix: '/pg/',
          logGroupNamePattern: 'g1',
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client.send(new DescribeLogGroupsCommand({ limit: 51 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    // A token only continues the listing it came from.
    await expect(
      client.send(
        new DescribeLogGroupsCommand({
          logGroupNamePrefix: '/other/',
          nextToken: first.nextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client.send(
        new DescribeLogGroupsCommand({
          logGroupClass: 'STANDARD',
          nextToken: first.nextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('pages DescribeLogStreams and FilterLogEvents with nextToken', async () => {
    const client = logs();
    const group = '/paged/streams';
    // Only the model's enum of retention periods is accepted, checked before
    // the group is looked up.
    for (const retentionInDays of [2, 0, 4000]) {
      await expect(
        client.send(
          new PutRetentionPolicyCommand({
            logGroupName: group,
            retentionInDays,
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: `1 validation error detected: Value '${retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]`,
        $metadata: { httpStatusCode: 400 },
      });
    }

    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    for (const retentionInDays of [1, 1096, 3653]) {
      await client.send(
        new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays }),
      );
    }
    await expect(
      client.send(
        new PutRetentionPolicyCommand({
          logGroupName: group,
          retentionInDays: 10,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const base = t.sb.clock.now() - 3600_000;
    for (let s = 0; s < 7; s++) {
      const logStreamName = `stream-${s}`;
      await client.send(
        new CreateLogStreamCommand({ logGroupName: group, logStreamName }),
      );
      await client.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName,
          logEvents: [0, 1, 2].map(e => ({
            timestamp: base + (e * 7 + s) * 1000,
            message: `${e === 1 ? 'ERROR' : 'INFO'} stream ${s} event ${e}`,
          })),
        }),
      );
    }

    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new DescribeLogStreamsCommand({
          logGroupName: group,
          limit: 3,
          nextToken: token,
        }),
      );
      pages++;
      names.push(...page.logStreams!.map(s => s.logStreamName!));
      token = page.nextToken;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(Array.from({ length: 7 }, (_, i) => `stream-${i}`));

    const newest = await client.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 2,
      }),
    );
    expect(newest.logStreams!.map(s => s.logStreamName)).toEqual([
      'stream-6',
      'stream-5',
    ]);
    const olderPage = await client.send(
      new DescribeLogStreamsCommand({
        logGroupName: group,
        orderBy: 'LastEventTime',
        descending: true,
        limit: 2,
        nextToken: newest.nextToken,
      }),
    );
    expect(olderPage.logStreams!.map(s => s.logStreamName)).toEqual([
      'stream-4',
      'stream-3',
    ]);

    const all = await client.send(
      new FilterLogEventsCommand({ logGroupName: group }),
    );
    expect(all.events).toHaveLength(21);
    expect(all.nextToken).toBeUndefined();
    const timestamps = all.events!.map(e => e.timestamp!);
    expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));

    const errorPages: string[][] = [];
    for await (const page of paginateFilterLogEvents(
      { client, pageSize: 3 },
      { logGroupName: group, filterPattern: 'ERROR' },
    )) {
      errorPages.push(page.events!.map(e => e.message!));
    }
    expect(errorPages.map(p => p.length)).toEqual([3, 3, 1]);
    expect(errorPages.flat()).toEqual(
      Array.from({ length: 7 }, (_, s) => `ERROR stream ${s} event 1`),
    );
    const firstErrors = await client.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        filterPattern: 'ERROR',
        limit: 3,
      }),
    );
    await expect(
      client.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          filterPattern: 'INFO',
          nextToken: firstErrors.nextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client.send(
        new FilterLogEventsCommand({
          logGroupName: group,
          filterPattern: 'ERROR',
          logStreamNamePrefix: 'stream-6',
          nextToken: firstErrors.nextToken,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('raises typed errors for missing and duplicate groups and streams', async () => {
    const client = logs();
    const group = '/errors/app';
    await expect(
      client.send(new DescribeLogStreamsCommand({ logGroupName: group })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new FilterLogEventsCommand({ logGroupName: group })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(
        new PutRetentionPolicyCommand({
          logGroupName: group,
          retentionInDays: 7,
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new DeleteLogGroupCommand({ logGroupName: group })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
      $metadata: { httpStatusCode: 400 },
    });

    await client.send(new CreateLogGroupCommand({ logGroupName: group }));
    await expect(
      client.send(new CreateLogGroupCommand({ logGroupName: group })),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(
      client.send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await expect(
      client.send(
        new PutLogEventsCommand({
          logGroupName: group,
          logStreamName: 'nope',
          logEvents: [{ timestamp: t.sb.clock.now(), message: 'x' }],
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await client.send(
      new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }),
    );
    await expect(
      client.send(
        new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }),
      ),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await expect(
      client.send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);

    await client.send(new DeleteLogGroupCommand({ logGroupName: group }));
    await expect(
      client.send(
        new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }),
      ),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });
});

import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  ParameterPatternMismatchException,
  ParameterVersionNotFound,
  PutParameterCommand,
  SSMClient,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { useSandbox } from '../__testUtils__/sandbox';

describe('SSM', () => {
  const t = useSandbox();
  const client = () => new SSMClient(t.config);

  it('puts, versions and reads parameters', async () => {
    const ssm = client();
    const put = await ssm.send(
      new PutParameterCommand({
        Name: '/app/qa/color',
        Value: 'blue',
        Type: 'String',
      }),
    );
    expect(put).toMatchObject({ Version: 1, Tier: 'Standard' });
    await expect(
      ssm.send(
        new PutParameterCommand({
          Name: '/app/qa/color',
          Value: 'red',
          Type: 'String',
        }),
      ),
    ).rejects.toBeInstanceOf(ParameterAlreadyExists);
    const over = await ssm.send(
      new PutParameterCommand({
        Name: '/app/qa/color',
        Value: 'red',
        Overwrite: true,
      }),
    );
    expect(over.Version).toBe(2);
    const got = await ssm.send(
      new GetParameterCommand({ Name: '/app/qa/color' }),
    );
    expect(got.Parameter).toMatchObject({
      Name: '/app/qa/color',
      Value: 'red',
      Type: 'String',
      Version: 2,
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/qa/color',
      DataType: 'text',
    });
    expect(got.Parameter?.LastModifiedDate).toEqual(t.sb.clock.date());
    const v1 = await ssm.send(
      new GetParameterCommand({ Name: '/app/qa/color:1' }),
    );
    expect(v1.Parameter).toMatchObject({ Value: 'blue', Selector: ':1' });
    const history = await ssm.send(
      new GetParameterHistoryCommand({ Name: '/app/qa/color' }),
    );
    expect(history.Parameters?.map(p => p.Value)).toEqual(['blue', 'red']);
    expect(history.Parameters?.[1].LastModifiedUser).toBe(
      'arn:aws:iam::000000000000:user/sandbox',
    );
  });

  it('hides SecureString values unless decryption is asked for', async () => {
    const ssm = client();
    await ssm.send(
      new PutParameterCommand({
        Name: '/app/qa/db-password',
        Value: 's3cret-value',
        Type: 'SecureString',
      }),
    );
    const hidden = await ssm.send(
      new GetParameterCommand({ Name: '/app/qa/db-password' }),
    );
    expect(hidden.Parameter?.Type).toBe('SecureString');
    expect(hidden.Parameter?.Value).not.toContain('s3cret');
    expect(hidden.Parameter?.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const shown = await ssm.send(
      new GetParameterCommand({
        Name: '/app/qa/db-password',
        WithDecryption: true,
      }),
    );
    expect(shown.Parameter?.Value).toBe('s3cret-value');
    const byPath = await ssm.send(
      new GetParametersByPathCommand({ Path: '/app/qa' }),
    );
    expect(JSON.stringify(byPath)).not.toContain('s3cret');
    const described = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Values: ['/app/qa/db-password'] }],
      }),
    );
    expect(described.Parameters).toEqual([
      expect.objectContaining({
        Name: '/app/qa/db-password',
        KeyId: 'alias/aws/ssm',
        Type: 'SecureString',
      }),
    ]);
    expect(JSON.stringify(described)).not.toContain('s3cret');
  });

  it('reads by path, recursively, with pagination', async () => {
    const ssm = client();
    for (let i = 0; i < 13; i++) {
      await ssm.send(
        new PutParameterCommand({
          Name: `/paged/svc${String(i).padStart(2, '0')}/value`,
          Value: `v${i}`,
          Type: 'String',
        }),
      );
    }
    await ssm.send(
      new PutParameterCommand({
        Name: '/paged/top',
        Value: 'top',
        Type: 'StringList',
      }),
    );
    const oneLevel = await ssm.send(
      new GetParametersByPathCommand({ Path: '/paged' }),
    );
    expect(oneLevel.Parameters?.map(p => p.Name)).toEqual(['/paged/top']);
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateGetParametersByPath(
      { client: ssm, pageSize: 5 },
      { Path: '/paged/', Recursive: true },
    )) {
      pages++;
      names.push(...(page.Parameters ?? []).map(p => p.Name!));
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(14);
    const described = await ssm.send(
      new DescribeParametersCommand({
        MaxResults: 10,
        ParameterFilters: [
          { Key: 'Path', Option: 'Recursive', Values: ['/paged'] },
        ],
      }),
    );
    expect(described.Parameters).toHaveLength(10);
    expect(described.NextToken).toBeDefined();
    const rest = await ssm.send(
      new DescribeParametersCommand({
        MaxResults: 10,
        NextToken: described.NextToken,
        ParameterFilters: [
          { Key: 'Path', Option: 'Recursive', Values: ['/paged'] },
        ],
      }),
    );
    expect(rest.Parameters).toHaveLength(4);
    expect(rest.NextToken).toBeUndefined();
    await expect(
      ssm.send(
        new GetParametersByPathCommand({ Path: '/paged', MaxResults: 11 }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('gets and deletes several parameters at once', async () => {
    const ssm = client();
    await ssm.send(
      new PutParameterCommand({ Name: 'plain', Value: 'x', Type: 'String' }),
    );
    const got = await ssm.send(
      new GetParametersCommand({ Names: ['plain', 'missing'] }),
    );
    expect(got.Parameters?.map(p => p.Name)).toEqual(['plain']);
    expect(got.InvalidParameters).toEqual(['missing']);
    const deleted = await ssm.send(
      new DeleteParametersCommand({ Names: ['plain', 'missing'] }),
    );
    expect(deleted).toMatchObject({
      DeletedParameters: ['plain'],
      InvalidParameters: ['missing'],
    });
    await expect(
      ssm.send(new DeleteParameterCommand({ Name: 'plain' })),
    ).rejects.toBeInstanceOf(ParameterNotFound);
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/nope' })),
    ).rejects.toBeInstanceOf(ParameterNotFound);
  });

  it('validates names, sizes and types like AWS', async () => {
    const ssm = client();
    const bad = [
      { Name: 'aws-reserved', Value: 'x', Type: 'String' as const },
      { Name: 'a/b', Value: 'x', Type: 'String' as const },
      { Name: '/big', Value: 'x'.repeat(4097), Type: 'String' as const },
      { Name: '/k', Value: 'x', Type: 'String' as const, KeyId: 'alias/k' },
    ];
    for (const input of bad) {
      await expect(
        ssm.send(new PutParameterCommand(input)),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    }
  });
});

describe('SSM SecureString values and the sandbox log', () => {
  const lines: string[] = [];
  const t = useSandbox({ log: line => lines.push(line) });

  it('never writes a SecureString value to the request log or the console', async () => {
    const canary = `canary-${Date.now().toString(36)}-d0-not-log`;
    // The sandbox writes internal errors to stderr and the CLI writes the
    // request log to stdout, so both streams count as its log.
    const out = jest.spyOn(process.stdout, 'write');
    const err = jest.spyOn(process.stderr, 'write');
    const consoleSpies = (
      ['log', 'info', 'warn', 'error', 'debug'] as const
    ).map(m => jest.spyOn(console, m));
    const printed: string[] = [];
    const ssm = new SSMClient(t.config);
    const name = '/logcheck/db-password';
    try {
      await ssm.send(
        new PutParameterCommand({
          Name: name,
          Value: canary,
          Type: 'SecureString',
          AllowedPattern: '^canary-.*$',
        }),
      );
      const decrypted = await ssm.send(
        new GetParameterCommand({ Name: name, WithDecryption: true }),
      );
      // Proves the canary really went through the sandbox.
      expect(decrypted.Parameter?.Value).toBe(canary);
      await ssm.send(new GetParameterCommand({ Name: name }));
      await ssm.send(
        new GetParametersCommand({ Names: [name], WithDecryption: true }),
      );
      await ssm.send(
        new GetParametersByPathCommand({
          Path: '/logcheck',
          WithDecryption: true,
        }),
      );
      await ssm.send(
        new GetParameterHistoryCommand({ Name: name, WithDecryption: true }),
      );

      await expect(
        ssm.send(
          new PutParameterCommand({
            Name: name,
            Value: canary,
            Type: 'SecureString',
          }),
        ),
      ).rejects.toBeInstanceOf(ParameterAlreadyExists);
      await expect(
        ssm.send(
          new PutParameterCommand({
            Name: name,
            Value: `x-${canary}`,
            Overwrite: true,
          }),
        ),
      ).rejects.toBeInstanceOf(ParameterPatternMismatchException);
      await expect(
        ssm.send(
          new PutParameterCommand({
            Name: '/logcheck/too-big',
            Value: canary.padEnd(4097, '!'),
            Type: 'SecureString',
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException' });
      await expect(
        ssm.send(
          new GetParameterCommand({ Name: `${name}:9`, WithDecryption: true }),
        ),
      ).rejects.toBeInstanceOf(ParameterVersionNotFound);
      t.sb.addFault({
        type: 'error',
        service: 'ssm',
        operation: 'PutParameter',
        status: 500,
      });
      await expect(
        ssm.send(
          new PutParameterCommand({
            Name: name,
            Value: canary,
            Type: 'SecureString',
            Overwrite: true,
          }),
        ),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    } finally {
      t.sb.clearFaults();
      // mockRestore() forgets the recorded calls, so keep them first.
      for (const spy of [out, err, ...consoleSpies]) {
        printed.push(
          ...spy.mock.calls.map(args => args.map(a => String(a)).join(' ')),
        );
        spy.mockRestore();
      }
    }

    // The log must have seen these calls, or the check below proves nothing.
    expect(lines.map(l => l.split(' ').slice(0, 2).join(' '))).toEqual(
      expect.arrayContaining([
        'ssm PutParameter',
        'ssm GetParameter',
        'ssm GetParameters',
        'ssm GetParametersByPath',
        'ssm GetParameterHistory',
      ]),
    );
    expect([...lines, ...printed].join('\n')).not.toContain(canary);
  });
});

/*
 * EC2 DescribeAvailabilityZones: hand-built EC2 query requests checked
 * against the model (botocore ec2/2016-11-15: `ZoneName.N`, `Filter.N.Name`,
 * `Filter.N.Value.M` in; `availabilityZoneInfo/item` with zoneName, zoneId,
 * zoneState, regionName out), and the lookup toolkit-lib makes for a CDK app
 * with an explicit env, through its own EC2 client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cdk from 'aws-cdk-lib';
import { Toolkit } from '@aws-cdk/toolkit-lib';
import type { IIoHost } from '@aws-cdk/toolkit-lib';
import { startSandbox, RunningSandbox } from '../index';
import { all, queryRequest, text, XmlNode } from '../__testUtils__/query';

jest.setTimeout(60_000);

const V = { Action: 'DescribeAvailabilityZones', Version: '2016-11-15' };

const zonesOf = (xml: XmlNode) =>
  all(xml, 'availabilityZoneInfo', 'item').map(z => ({
    zoneName: text(z, 'zoneName'),
    zoneId: text(z, 'zoneId'),
    zoneState: text(z, 'zoneState'),
    regionName: text(z, 'regionName'),
  }));

describe('EC2 DescribeAvailabilityZones', () => {
  let sb: RunningSandbox;
  const actions: string[] = [];
  const saved = { ...process.env };
  let outdir = '';

  beforeAll(async () => {
    sb = await startSandbox({
      port: 0,
      clock: 'manual',
      seed: 5,
      log: line => actions.push(line),
    });
  });

  afterAll(async () => {
    process.env = saved;
    await sb?.close();
    if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("answers the region's zones in EC2's XML", async () => {
    const res = await queryRequest(sb, 'ec2', V);
    expect(res.status).toBe(200);
    expect(res.xml.name).toBe('DescribeAvailabilityZonesResponse');
    expect(res.xml.attrs.xmlns).toBe(
      'http://ec2.amazonaws.com/doc/2016-11-15/',
    );
    expect(text(res.xml, 'requestId')).toMatch(/^[\w-]+$/);
    expect(zonesOf(res.xml)).toEqual(
      [...'abcdef'].map((letter, i) => ({
        zoneName: `us-east-1${letter}`,
        zoneId: `use1-az${i + 1}`,
        zoneState: 'available',
        regionName: 'us-east-1',
      })),
    );
    // The region comes from the request's credential scope.
    const eu = await queryRequest(sb, 'ec2', V, 'eu-west-1');
    expect(zonesOf(eu.xml).map(z => `${z.zoneName} ${z.zoneId}`)).toEqual([
      'eu-west-1a euw1-az1',
      'eu-west-1b euw1-az2',
      'eu-west-1c euw1-az3',
    ]);
    const first = all(res.xml, 'availabilityZoneInfo', 'item')[0];
    expect(text(first, 'zoneType')).toBe('availability-zone');
    expect(text(first, 'optInStatus')).toBe('opt-in-not-required');
  });

  it('filters by ZoneName.N, ZoneId.N and Filter.N', async () => {
    const names = (xml: XmlNode) => zonesOf(xml).map(z => z.zoneName);
    const byName = await queryRequest(sb, 'ec2', {
      ...V,
      'ZoneName.1': 'us-east-1b',
      'ZoneName.2': 'us-east-1d',
    });
    expect(names(byName.xml)).toEqual(['us-east-1b', 'us-east-1d']);
    const byId = await queryRequest(sb, 'ec2', {
      ...V,
      'ZoneId.1': 'use1-az6',
    });
    expect(names(byId.xml)).toEqual(['us-east-1f']);
    const filtered = await queryRequest(sb, 'ec2', {
      ...V,
      'Filter.1.Name': 'zone-name',
      'Filter.1.Value.1': 'us-east-1a',
      'Filter.1.Value.2': '*c',
      'Filter.2.Name': 'state',
      'Filter.2.Value.1': 'available',
    });
    expect(names(filtered.xml)).toEqual(['us-east-1a', 'us-east-1c']);
  });

  it('answers EC2 errors: unknown zone, unknown filter, DryRun', async () => {
    const unknown = await queryRequest(sb, 'ec2', {
      ...V,
      'ZoneName.1': 'us-east-1z',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.xml.name).toBe('Response');
    expect(text(unknown.xml, 'Errors', 'Error', 'Code')).toBe(
      'InvalidParameterValue',
    );
    expect(text(unknown.xml, 'Errors', 'Error', 'Message')).toBe(
      'Invalid availability zone: [us-east-1z]',
    );
    expect(text(unknown.xml, 'RequestID')).toMatch(/^[\w-]+$/);
    const badFilter = await queryRequest(sb, 'ec2', {
      ...V,
      'Filter.1.Name': 'colour',
      'Filter.1.Value.1': 'x',
    });
    expect(text(badFilter.xml, 'Errors', 'Error', 'Code')).toBe(
      'InvalidParameterValue',
    );
    const dryRun = await queryRequest(sb, 'ec2', { ...V, DryRun: true });
    expect(dryRun.status).toBe(412);
    expect(text(dryRun.xml, 'Errors', 'Error', 'Code')).toBe('DryRunOperation');
  });

  it("serves toolkit-lib's availability-zones lookup for an app with an explicit env", async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sb.url,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      CDK_VALIDATION: 'false',
    });
    delete process.env.AWS_PROFILE;
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-lookup-'));
    const ioHost = {
      notify: async () => {},
      requestResponse: async <T>(msg: { defaultResponse: T }) =>
        msg.defaultResponse,
    } as unknown as IIoHost;
    const toolkit = new Toolkit({ ioHost });
    const cx = await toolkit.fromAssemblyBuilder(
      async ({ context }) => {
        const app = new cdk.App({ outdir, context });
        const stack = new cdk.Stack(app, 'Zones', {
          env: { account: '000000000000', region: 'us-east-1' },
          synthesizer: new cdk.LegacyStackSynthesizer(),
        });
        // A construct adds itself to its scope; nothing else holds it.
        // eslint-disable-next-line no-new
        new cdk.CfnOutput(stack, 'Azs', {
          value: cdk.Fn.join(',', stack.availabilityZones),
        });
        return app.synth();
      },
      { clobberEnv: false, resolveDefaultEnvironment: false } as any,
    );
    const assembly = await toolkit.synth(cx);
    const template = assembly.cloudAssembly.getStackByName('Zones').template;
    // The lookup's answer was put in the app's context and joined at synth.
    expect(template.Outputs.Azs.Value).toBe(
      [...'abcdef'].map(letter => `us-east-1${letter}`).join(','),
    );
    expect(actions).toContain('ec2 DescribeAvailabilityZones');
  });
});

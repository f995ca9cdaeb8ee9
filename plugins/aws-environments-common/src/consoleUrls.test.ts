import { consoleHost, consoleUrl } from './consoleUrls';

describe('consoleHost', () => {
  it('serves commercial regions from the region console of aws.amazon.com', () => {
    expect(consoleHost('eu-west-1')).toBe('eu-west-1.console.aws.amazon.com');
    expect(consoleHost('us-east-1')).toBe('us-east-1.console.aws.amazon.com');
  });

  it('serves the aws-cn partition from amazonaws.cn', () => {
    expect(consoleHost('cn-north-1')).toBe('cn-north-1.console.amazonaws.cn');
    expect(consoleHost('cn-northwest-1')).toBe(
      'cn-northwest-1.console.amazonaws.cn',
    );
  });

  it('serves every aws-us-gov region from the one GovCloud console', () => {
    expect(consoleHost('us-gov-west-1')).toBe('console.amazonaws-us-gov.com');
    expect(consoleHost('us-gov-east-1')).toBe('console.amazonaws-us-gov.com');
  });
});

describe('consoleUrl', () => {
  const path = '/ecs/v2/clusters/c/services/s/health?region=';

  it('puts the path on the console of the region’s partition', () => {
    expect(consoleUrl('eu-west-1', `${path}eu-west-1`)).toBe(
      `https://eu-west-1.console.aws.amazon.com${path}eu-west-1`,
    );
    expect(consoleUrl('cn-north-1', `${path}cn-north-1`)).toBe(
      `https://cn-north-1.console.amazonaws.cn${path}cn-north-1`,
    );
    expect(consoleUrl('us-gov-west-1', `${path}us-gov-west-1`)).toBe(
      `https://console.amazonaws-us-gov.com${path}us-gov-west-1`,
    );
  });
});

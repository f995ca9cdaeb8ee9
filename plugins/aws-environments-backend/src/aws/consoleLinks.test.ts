import { environmentResourceNames } from '@envplane/plugin-aws-environments-common';
import { consoleLinks } from './consoleLinks';

const names = environmentResourceNames('shop', 'test');

describe('consoleLinks', () => {
  it('links every resource on the console of the region', () => {
    const links = consoleLinks('eu-west-1', names);
    for (const link of Object.values(links)) {
      expect(link).toMatch(/^https:\/\/eu-west-1\.console\.aws\.amazon\.com\//);
      expect(link).toContain('region=eu-west-1');
    }
    expect(links.service).toBe(
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/shop-test-ecs-cluster/services/shop-test-service/health?region=eu-west-1',
    );
  });

  it('links to the console of the region’s partition', () => {
    expect(consoleLinks('cn-north-1', names).stack).toMatch(
      /^https:\/\/cn-north-1\.console\.amazonaws\.cn\/cloudformation\/home\?region=cn-north-1#/,
    );
    expect(consoleLinks('us-gov-west-1', names).logs).toMatch(
      /^https:\/\/console\.amazonaws-us-gov\.com\/cloudwatch\/home\?region=us-gov-west-1#/,
    );
  });
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { awsEnvironmentsDeployerServiceRef } from './deployerServiceRef';
import { PromotionDeployer } from './promotionDeployer';

describe('awsEnvironmentsDeployerServiceRef', () => {
  it('builds the CDK promotion deployer from config by default', async () => {
    let deployer: PromotionDeployer | undefined;
    const consumer = createBackendPlugin({
      pluginId: 'consumer',
      register(env) {
        env.registerInit({
          deps: {
            deployer: awsEnvironmentsDeployerServiceRef,
            logger: coreServices.logger,
          },
          async init(deps) {
            deployer = deps.deployer;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        consumer,
        mockServices.rootConfig.factory({
          data: {
            awsEnvironments: {
              environments: [
                {
                  name: 'qa',
                  title: 'QA',
                  accountId: '000000000000',
                  region: 'us-east-1',
                  vpcCidr: '10.1.0.0/16',
                  promotion: { trigger: 'manual', reviewRequired: true },
                },
              ],
            },
          },
        }),
      ],
    });
    try {
      // An environment missing from config is refused before any AWS call.
      await expect(
        deployer!.deploy({
          project: 'devops-app',
          environment: 'prod',
          image: 'registry/app:2.0.0',
          promotionId: 'p-1',
          onProgress: () => {},
        }),
      ).resolves.toEqual({
        ok: false,
        reason:
          'environment "prod" is not configured in awsEnvironments.environments',
      });
    } finally {
      await backend.stop();
    }
  });
});

/**
 * App config with two environments: promotions to test go straight
 * through, promotions to qa wait for a review.
 */
export const promotionConfigData = {
  awsEnvironments: {
    environments: [
      {
        name: 'test',
        title: 'Test',
        promotion: { trigger: 'manual', reviewRequired: false },
      },
      {
        name: 'qa',
        title: 'QA',
        promotion: { trigger: 'manual', reviewRequired: true },
      },
    ],
  },
};

export interface Config {
  /**
   * The AWS environments a service is provisioned into and promoted along.
   * The list order is the promotion path (the seed's: test, qa, staging, prod).
   */
  awsEnvironments?: {
    /**
     * @visibility frontend
     */
    environments: Array<{
      /**
       * Short name used in resource names, e.g. `test` or `prod`.
       * @visibility frontend
       */
      name: string;
      /**
       * Display title, e.g. `Production`.
       * @visibility frontend
       */
      title?: string;
      /**
       * The 12-digit AWS account the environment lives in. Credentials for it
       * come from the `aws` section (@backstage/integration-aws-node).
       * @visibility frontend
       */
      accountId: string;
      /**
       * @visibility frontend
       */
      region: string;
      /**
       * The environment's VPC CIDR, a /16 such as `10.3.0.0/16`.
       * @visibility frontend
       */
      vpcCidr: string;
      /**
       * @visibility frontend
       */
      promotion: {
        /**
         * `auto`: a promotion into the previous environment that succeeds
         * creates a request into this one by itself.
         * @visibility frontend
         */
        trigger: 'manual' | 'auto';
        /**
         * Whether someone other than the requester must approve.
         * @visibility frontend
         */
        reviewRequired: boolean;
        /**
         * Who may approve promotions into this environment, as catalog
         * entity refs of groups or users. Empty means anyone holding the
         * approve permission.
         * @visibility frontend
         */
        approvers?: string[];
      };
    }>;
  };
}

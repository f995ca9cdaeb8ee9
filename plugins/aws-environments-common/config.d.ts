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
        /**
         * A gate before promotions into this environment deploy: what runs
         * in the source environment must have run healthy for
         * `soakMinutes`, with none of the named CloudWatch alarms in ALARM
         * there. Approval does not skip it; a finding or an alarm during
         * the soak starts it again.
         * @visibility frontend
         */
        verification?: {
          /**
           * Minutes the image must run healthy in the source environment,
           * observed by the backend every few seconds. Up to 1440.
           * @visibility frontend
           */
          soakMinutes?: number;
          /**
           * CloudWatch alarm names in the source environment's account and
           * region that must not be in ALARM. `{project}` and
           * `{environment}` stand for the project and the source environment.
           * @visibility frontend
           */
          alarmNames?: string[];
          /**
           * Alarm name prefixes, with the same placeholders: every alarm
           * whose name starts with one must not be in ALARM.
           * @visibility frontend
           */
          alarmPrefixes?: string[];
        };
      };
    }>;
  };
}

export interface Config {
  /**
   * Settings of the AWS environments backend. The environments themselves
   * (`awsEnvironments.environments`) are declared by
   * @envplane/plugin-aws-environments-common; Backstage merges both schemas.
   */
  awsEnvironments?: {
    status?: {
      /**
       * How long a status read from AWS is served from the cache. Keep it
       * short: it is how stale the page may be, and how often each
       * environment's AWS APIs are read no matter how many people watch.
       * Default 30.
       */
      cacheTtlSeconds?: number;
      /**
       * Budget for reading one environment; sources still pending after it
       * are reported as TIMEOUT while the others are shown. Default 8000.
       */
      timeoutMs?: number;
      /** Stopped tasks listed per environment (1 to 100). Default 20. */
      maxStoppedTasks?: number;
      /** Log events returned per environment (1 to 200). Default 50. */
      logEventLimit?: number;
    };
    /**
     * The status snapshots behind the status page and the overview of the
     * Environments tab: one summary per project and environment, read in
     * the background (by one replica at a time) instead of per page view.
     */
    snapshots?: {
      /**
       * AWS calls a second that refreshing may send to one account and
       * region, across all its environments (1 to 100). ECS refills its
       * read budget at about 20 a second per account and region, shared
       * with every other client. Default 5.
       */
      callsPerSecond?: number;
      /** How often a recently viewed environment is read (5 to 3600). Default 60. */
      hotIntervalSeconds?: number;
      /** How often every other environment is read (1 to 1440). Default 15. */
      coldIntervalMinutes?: number;
      /** How long after a view an environment stays recently viewed (1 to 1440). Default 15. */
      hotForMinutes?: number;
    };
    /**
     * CloudFormation drift detection of every environment's stack: on a
     * schedule (one replica at a time) and on demand from the tab.
     */
    drift?: {
      /** How often every environment's stack is checked (1 to 720). Default 24. */
      intervalHours?: number;
      /**
       * At most one check per environment per this many minutes, on demand
       * or scheduled; a request within it gets a 429 (1 to 1440). Default 5.
       */
      minIntervalMinutes?: number;
    };
    promotions?: {
      /**
       * How long a replica's claim on a running deployment holds without
       * renewal (it renews at a third of this). It bounds how long a
       * deployment whose replica died shows "deploying" before another
       * replica takes it over, reads the stack and finishes it; a take-over
       * never deploys again. 10 to 3600. Default 60.
       */
      leaseSeconds?: number;
    };
  };
}

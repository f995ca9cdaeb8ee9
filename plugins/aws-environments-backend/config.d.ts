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

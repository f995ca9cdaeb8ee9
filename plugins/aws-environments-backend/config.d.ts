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
  };
}

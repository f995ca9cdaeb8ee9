export interface Config {
  /**
   * The frontend's part of the AWS environments settings. The app bundles
   * this package, not the backend's, so the keys the browser reads are
   * declared (with their frontend visibility) here; the backend's own
   * settings and the environments live in the backend and common packages.
   */
  awsEnvironments?: {
    status?: {
      /**
       * How often the environments tab refreshes itself, in seconds. The
       * backend checks the same bounds at startup. Default 60.
       * @visibility frontend
       * @minimum 5
       * @maximum 3600
       */
      refreshIntervalSeconds?: number;
    };
  };
}

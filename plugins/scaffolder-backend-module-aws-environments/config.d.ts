export interface Config {
  awsEnvironments?: {
    /** How the scaffolder actions provision environments. */
    provisioning?: {
      /**
       * How many environments one run deploys at the same time. Each
       * deployment mostly waits on CloudFormation, but each also holds a
       * synthesized assembly and a toolkit in memory. Default 2.
       */
      concurrency?: number;
      /**
       * `legacy` (default): templates are sent inline, nothing needs
       * `cdk bootstrap`. `default`: the modern synthesizer, which needs the
       * CDKToolkit bootstrap stack in every target account and region.
       */
      synthesizer?: 'legacy' | 'default';
      /**
       * Run aws-cdk-lib's CloudFormation validation on every synth
       * (about +2.5 s and +360 MB per run). Default false.
       */
      validateTemplates?: boolean;
      /**
       * Milliseconds between CloudFormation polls while a stack changes.
       * Default 2000 (toolkit-lib's default).
       */
      pollIntervalMs?: number;
    };
  };
}

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Finds the projects provisioned with the AWS environments plugins by
       * their CloudFormation stacks and adds their entities to the catalog.
       */
      awsEnvironments?: {
        /** How often to look for stacks, in seconds. Default 30. */
        frequencySeconds?: number;
        /** Namespace of the entities. Default `default`. */
        namespace?: string;
      };
    };
  };
}

/*
 * SSM Parameter Store (awsJson1_1, AmazonSSM.*). Versions, overwrite rules,
 * hierarchical paths and SecureString handling follow AWS: a SecureString's
 * value is only returned with WithDecryption=true; otherwise the caller gets
 * an opaque ciphertext. Values never appear in logs.
 */
import type { ServiceDefinition } from './types';
import { parameterOperations } from './ssmParameters';
import { versionOperations } from './ssmVersions';
import { listingOperations } from './ssmListing';

export const ssm: ServiceDefinition = {
  name: 'ssm',
  signingName: 'ssm',
  protocol: 'json1.1',
  targetPrefix: 'AmazonSSM',
  operations: {
    ...parameterOperations,
    ...versionOperations,
    ...listingOperations,
  },
};

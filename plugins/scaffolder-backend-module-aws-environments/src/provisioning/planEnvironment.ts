import { errorMessage } from '@envplane/plugin-aws-environments-common';
import { Stack } from '@aws-sdk/client-cloudformation';
import {
  describeStack,
  StackDiffSummary,
} from '@envplane/plugin-aws-environments-node';
import { EnvironmentContext, synthesizerFor } from './environmentContext';
import { EnvironmentResult } from './environmentResult';

/**
 * Dry run: what would be created or changed, with no write to AWS. The
 * stack is only read (and diffed when it exists); a stack that cannot be
 * read is assumed not to exist, since a preview must not fail on it.
 */
export async function planEnvironment(
  c: EnvironmentContext,
): Promise<EnvironmentResult> {
  let existing: Stack | undefined;
  try {
    existing = await describeStack(c.aws.cloudFormation, c.stack.stackName);
  } catch (error) {
    c.logger.warn(
      `${c.environment.name}: could not look up ${
        c.stack.stackName
      } (${errorMessage(error)}); assuming it does not exist`,
    );
  }
  if (!existing) {
    c.logger.info(
      `${c.environment.name}: would create ${c.stack.stackName} with ${c.stack.resourceCount} resources and the SecureString ${c.base.secretParameterName}`,
    );
    return { ...c.base, status: 'WOULD_CREATE', operation: 'create' };
  }
  let changes: StackDiffSummary['counts'] | undefined;
  try {
    const diff = await c.deployer.diff({
      environment: c.environment,
      stackName: c.stack.stackName,
      artifactId: c.stack.artifactId,
      outdir: c.outdir,
      credentials: c.aws.credentials,
      logger: c.logger,
      synthesize: synthesizerFor(c),
    });
    changes = diff.counts;
    c.logger.info(
      `${c.environment.name}: would update ${c.stack.stackName}: ${
        diff.counts.add
      } to add, ${diff.counts.update} to update, ${
        diff.counts.replace
      } to replace, ${diff.counts.remove} to remove${
        diff.iamChanges ? '; IAM changes' : ''
      }${diff.securityGroupChanges ? '; security group changes' : ''}`,
    );
    for (const change of diff.changes) {
      c.logger.info(
        `${c.environment.name}:   ${change.change} ${change.logicalId} (${change.resourceType})`,
      );
    }
  } catch (error) {
    c.logger.warn(
      `${c.environment.name}: would update ${
        c.stack.stackName
      }; no diff (${errorMessage(error)})`,
    );
  }
  return {
    ...c.base,
    status: 'WOULD_UPDATE',
    operation: 'update',
    changes,
  };
}

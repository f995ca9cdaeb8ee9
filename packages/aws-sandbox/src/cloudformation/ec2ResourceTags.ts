/*
 * The tags CloudFormation puts on the EC2 records it creates: the template's
 * Tags plus the stack's and the aws:cloudformation:* ones.
 */
import type { Ec2Tag } from '../stateEc2';
import { stackTags } from '../services/ec2Network';
import type { ResourceContext } from './provider';

/** The template's Tags plus the stack's and CloudFormation's own. */
export function tagsOf(p: any, ctx: ResourceContext): Ec2Tag[] {
  const stack = ctx.regionState.cloudformation.stacks.find(
    s => s.StackId === ctx.stackId,
  );
  return stackTags(p.Tags, {
    stackName: ctx.stackName,
    stackId: ctx.stackId,
    logicalId: ctx.logicalId,
    stackTags: stack?.Tags,
  });
}

/*
 * What CreateStack, UpdateStack and CreateChangeSet ask to deploy: the
 * request's template (or the stack's previous one) and parameters,
 * validated, as the Deployment the engine applies.
 */
import { queryBool } from '../protocol/awsQuery';
import type { Stack } from '../stateCloudFormation';
import type { RequestContext } from './types';
import {
  checkCapabilities,
  parseTemplate,
  resolveParameters,
  Template,
  validateTemplate,
  validationError,
} from '../cloudformation/template';
import type { Deployment } from '../cloudformation/deployment';
import { list } from './cloudformationRequests';

interface Prepared {
  template: Template;
  body: string;
  deployment: Deployment;
}

export function prepare(
  ctx: RequestContext,
  input: any,
  stack: Stack | undefined,
): Prepared {
  let body: string | undefined = input.TemplateBody;
  if (queryBool(input.UsePreviousTemplate)) {
    if (!stack || !stack.templateBody) {
      throw validationError(
        'UsePreviousTemplate can only be used for existing stacks.',
      );
    }
    body = stack.templateBody;
  } else if (body === undefined && input.TemplateURL) {
    throw validationError(
      `TemplateURL must be a supported URL. (The AWS sandbox has no S3; pass TemplateBody.)`,
    );
  }
  const template = parseTemplate(body);
  validateTemplate(template);
  checkCapabilities(template, list(input.Capabilities));
  const { values, stored } = resolveParameters(
    template,
    list(input.Parameters),
    stack?.Parameters,
    ctx.regionState,
  );
  return {
    template,
    body: body!,
    deployment: {
      template,
      templateBody: body!,
      parameters: values,
      storedParameters: stored,
      disableRollback:
        queryBool(input.DisableRollback) ?? input.OnFailure === 'DO_NOTHING',
    },
  };
}

/*
 * CloudFormation's template calls: GetTemplate (of a stack or a change set),
 * GetTemplateSummary and ValidateTemplate.
 */
import type { Handler } from './types';
import {
  parseTemplate,
  requiredCapabilities,
  Template,
  validateTemplate,
} from '../cloudformation/template';
import { mustFindStack } from './cloudformationStackRecords';
import { findChangeSet } from './cloudformationChangeSets';

/**
 * Validates a template; what GetTemplateSummary and ValidateTemplate say of
 * it besides its parameters.
 */
function checkTemplate(template: Template) {
  validateTemplate(template);
  const caps = requiredCapabilities(template);
  return {
    Description: template.Description,
    Capabilities: caps.capability ? [caps.capability] : [],
    CapabilitiesReason: caps.reason,
  };
}

/**
 * The parameters a template declares; `withTypes` adds their types and
 * constraints (GetTemplateSummary; ValidateTemplate leaves them out).
 */
function declaredParameters(template: Template, withTypes: boolean) {
  return Object.entries<any>(template.Parameters ?? {}).map(([k, p]) => ({
    ParameterKey: k,
    DefaultValue: p.Default !== undefined ? String(p.Default) : undefined,
    ParameterType: withTypes ? p.Type : undefined,
    NoEcho: p.NoEcho === true || p.NoEcho === 'true',
    Description: p.Description,
    ParameterConstraints: withTypes ? parameterConstraints(p) : undefined,
  }));
}

function parameterConstraints(parameter: any) {
  return parameter.AllowedValues
    ? { AllowedValues: parameter.AllowedValues.map(String) }
    : {};
}

export const templateOperations: Record<string, Handler> = {
  GetTemplate: (input, ctx) => {
    if (input.ChangeSetName) {
      const { cs } = findChangeSet(ctx, input);
      return {
        TemplateBody: cs.templateBody,
        StagesAvailable: ['Original', 'Processed'],
      };
    }
    const stack = mustFindStack(ctx, input.StackName);
    return {
      TemplateBody: stack.templateBody,
      StagesAvailable: ['Original', 'Processed'],
    };
  },

  GetTemplateSummary: (input, ctx) => {
    let template: Template;
    if (input.StackName)
      template = parseTemplate(
        mustFindStack(ctx, input.StackName).templateBody,
      );
    else template = parseTemplate(input.TemplateBody);
    const checked = checkTemplate(template);
    return {
      Parameters: declaredParameters(template, true),
      ...checked,
      ResourceTypes: [
        ...new Set(Object.values(template.Resources).map(r => r.Type)),
      ],
      Version: '2010-09-09',
      DeclaredTransforms: [],
      ResourceIdentifierSummaries: [],
    };
  },

  ValidateTemplate: (input, _ctx) => {
    const template = parseTemplate(input.TemplateBody);
    const checked = checkTemplate(template);
    return {
      Parameters: declaredParameters(template, false),
      ...checked,
      DeclaredTransforms: [],
    };
  },
};

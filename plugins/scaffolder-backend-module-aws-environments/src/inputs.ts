import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AwsEnvironmentConfig,
  environmentResourceNames,
  validateProjectName,
} from '@envplane/plugin-aws-environments-common';
import { z } from 'zod/v3';
import { inputError } from './taskErrors';

type Z = typeof z;

/**
 * An OCI/Docker image reference: optional registry host (with port), one or
 * more lowercase path components, optional tag, optional digest. The same
 * grammar as github.com/distribution/reference, so whatever ECS accepts.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST =
  '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
export const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
);

export function validateImageReference(image: string): string | undefined {
  if (image.length > 255 + 128 + 80) {
    return 'is too long to be an image reference';
  }
  // As in distribution/reference: the first component is a registry host
  // only when it has a dot or a port or is localhost; otherwise it is part
  // of the (lowercase) repository path.
  const slash = image.indexOf('/');
  const first = slash > 0 ? image.slice(0, slash) : '';
  const hasDomain =
    first.includes('.') || first.includes(':') || first === 'localhost';
  if (slash > 0 && !hasDomain && first !== first.toLowerCase()) {
    return 'must be lowercase in its repository path';
  }
  if (!IMAGE_REFERENCE.test(image)) {
    return 'must be an image reference such as public.ecr.aws/docker/library/python:3.12-slim or 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.2.3';
  }
  return undefined;
}

/** Owner as the OwnerPicker gives it: `group:default/team` (or a user). */
export function normalizeOwner(owner: string): string | undefined {
  try {
    const ref = parseEntityRef(owner);
    if (ref.kind !== 'group' && ref.kind !== 'user') {
      return undefined;
    }
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}

const projectField = (zi: Z) =>
  zi
    .string({ description: 'Project name, used in every AWS resource name' })
    .superRefine((value, ctx) => {
      const problem = validateProjectName(value);
      if (problem) {
        ctx.addIssue({ code: zi.ZodIssueCode.custom, message: problem });
      }
    });

const environmentsField = (zi: Z, configured: string[]) =>
  zi
    .array(
      configured.length > 0
        ? zi.enum(configured as [string, ...string[]])
        : zi.string(),
      { description: 'Environments to provision, from awsEnvironments' },
    )
    .min(1, 'select at least one environment')
    .superRefine((names, ctx) => {
      const seen = new Set<string>();
      names.forEach((name, index) => {
        if (seen.has(name)) {
          ctx.addIssue({
            code: zi.ZodIssueCode.custom,
            message: `"${name}" is listed twice`,
            path: [index],
          });
        }
        seen.add(name);
        if (!configured.includes(name)) {
          ctx.addIssue({
            code: zi.ZodIssueCode.custom,
            message: `"${name}" is not a configured environment (${configured.join(
              ', ',
            )})`,
            path: [index],
          });
        }
      });
    });

/** AWS's limit for Application Load Balancer names. */
const ALB_NAME_MAX = 32;

const countField = (zi: Z, description: string) =>
  zi.number({ description }).int().min(1).max(10);

/** The provision action's input fields, as scaffolder-node wants them. */
export function provisionInputFields(environments: AwsEnvironmentConfig[]) {
  const names = environments.map(e => e.name);
  return {
    project: projectField,
    owner: (zi: Z) =>
      zi
        .string({
          description: 'Owner entity ref, e.g. group:default/devops-team',
        })
        .refine(value => normalizeOwner(value) !== undefined, {
          message:
            'must be a group or user entity ref such as group:default/devops-team',
        }),
    environments: (zi: Z) => environmentsField(zi, names),
    image: (zi: Z) =>
      zi
        .string({ description: 'Container image reference' })
        .superRefine((value, ctx) => {
          const problem = validateImageReference(value);
          if (problem) {
            ctx.addIssue({ code: zi.ZodIssueCode.custom, message: problem });
          }
        }),
    description: (zi: Z) =>
      zi.string({ description: 'What the service does' }).max(500).optional(),
    loadBalancer: (zi: Z) =>
      zi
        .boolean({
          description: 'Add the internet-facing Application Load Balancer',
        })
        .optional(),
    desiredCount: (zi: Z) =>
      countField(zi, 'Tasks to start with (1-10)').optional(),
    minCapacity: (zi: Z) =>
      countField(zi, 'Autoscaling minimum (1-10)').optional(),
    maxCapacity: (zi: Z) =>
      countField(zi, 'Autoscaling maximum (1-10)').optional(),
    confirmProd: (zi: Z) =>
      zi
        .boolean({
          description:
            'Must be true when a protected (production) environment is selected',
        })
        .optional(),
  };
}

export interface ProvisionInput {
  project: string;
  owner: string;
  environments: string[];
  image: string;
  description?: string;
  loadBalancer: boolean;
  desiredCount: number;
  minCapacity: number;
  maxCapacity: number;
  confirmProd: boolean;
}

/**
 * Checks everything before any AWS call. The scaffolder validates inputs
 * only against the JSON schema derived from the fields (which loses the
 * refinements), so the handler parses again with the full zod schema and
 * the cross-field rules. Errors name the field. The app secret is no input:
 * the action reads the task secret `appSecret` (see `pickSecret`).
 */
export function parseProvisionInput(
  raw: unknown,
  environments: AwsEnvironmentConfig[],
  protectedNames: Set<string>,
): ProvisionInput {
  const fields = provisionInputFields(environments);
  const shape = Object.fromEntries(
    Object.entries(fields).map(([key, make]) => [key, make(z)]),
  ) as { [K in keyof typeof fields]: ReturnType<(typeof fields)[K]> };
  const schema = z
    .object(shape)
    .strict()
    .superRefine((input, ctx) => {
      const min = input.minCapacity ?? 1;
      const max = input.maxCapacity ?? 10;
      const desired = input.desiredCount ?? min;
      if (min > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['maxCapacity'],
          message: `must be at least minCapacity (${min})`,
        });
      }
      if (desired < min || desired > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['desiredCount'],
          message: `must lie between minCapacity (${min}) and maxCapacity (${max})`,
        });
      }
      // Project and environment names are each short enough alone; together
      // they can exceed the load balancer's limit, which CloudFormation would
      // only report halfway through a deploy.
      if (
        input.loadBalancer &&
        validateProjectName(input.project) === undefined
      ) {
        for (const name of new Set(input.environments ?? [])) {
          const { albName } = environmentResourceNames(input.project, name);
          if (albName.length > ALB_NAME_MAX) {
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              path: ['project'],
              message: `with loadBalancer, the load balancer name "${albName}" would be ${
                albName.length
              } characters and AWS allows ${ALB_NAME_MAX}; use at most ${
                ALB_NAME_MAX - (albName.length - input.project.length)
              } characters for the project in ${name}`,
            });
          }
        }
      }
      const protectedSelected = (input.environments ?? []).filter(name =>
        protectedNames.has(name),
      );
      if (protectedSelected.length > 0 && input.confirmProd !== true) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['confirmProd'],
          message: `must be true to provision ${protectedSelected.join(', ')}`,
        });
      }
    });
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw inputError(formatIssues(result.error));
  }
  const input = result.data;
  const minCapacity = input.minCapacity ?? 1;
  return {
    project: input.project,
    owner: normalizeOwner(input.owner)!,
    environments: input.environments,
    image: input.image,
    description: input.description,
    loadBalancer: input.loadBalancer ?? false,
    desiredCount: input.desiredCount ?? minCapacity,
    minCapacity,
    maxCapacity: input.maxCapacity ?? 10,
    confirmProd: input.confirmProd ?? false,
  };
}

/** The destroy action's input fields. */
export function destroyInputFields(environments: AwsEnvironmentConfig[]) {
  const names = environments.map(e => e.name);
  return {
    project: projectField,
    environments: (zi: Z) => environmentsField(zi, names),
    confirm: (zi: Z) =>
      zi
        .union([zi.string(), zi.array(zi.string())], {
          description:
            'For a protected environment, the text "<project>-<environment>", e.g. "devops-app-prod"',
        })
        .optional(),
  };
}

export interface DestroyInput {
  project: string;
  environments: string[];
}

export function parseDestroyInput(
  raw: unknown,
  environments: AwsEnvironmentConfig[],
  protectedNames: Set<string>,
): DestroyInput {
  const fields = destroyInputFields(environments);
  const schema = z
    .object({
      project: fields.project(z),
      environments: fields.environments(z),
      confirm: fields.confirm(z),
    })
    .superRefine((input, ctx) => {
      const given = new Set([input.confirm ?? []].flat());
      for (const name of input.environments ?? []) {
        const expected = `${input.project}-${name}`;
        if (protectedNames.has(name) && !given.has(expected)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['confirm'],
            message: `must be "${expected}" to destroy the protected environment ${name}`,
          });
        }
      }
    });
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw inputError(formatIssues(result.error));
  }
  return {
    project: result.data.project,
    environments: result.data.environments,
  };
}

/** One line: `Invalid input: <field>: <problem>; <field>: <problem>`. */
function formatIssues(error: z.ZodError): string {
  const lines = error.issues.flatMap(issue => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      // e.g. `secret`, which the template used to fill from secrets.
      return issue.keys.map(key => `${key}: is not an input of this action`);
    }
    const field = issue.path.length > 0 ? issue.path.join('.') : '(input)';
    return [`${field}: ${issue.message}`];
  });
  return `Invalid input: ${[...new Set(lines)].join('; ')}`;
}

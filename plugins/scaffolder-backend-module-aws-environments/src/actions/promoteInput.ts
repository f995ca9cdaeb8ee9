import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { AwsEnvironmentConfig } from '@envplane/plugin-aws-environments-common';
import { z } from 'zod/v3';
import { inputError } from '../taskErrors';

type Z = typeof z;

/** The promote action's input fields, as scaffolder-node wants them. */
export function promoteInputFields(environments: AwsEnvironmentConfig[]) {
  const names = environments.map(e => e.name);
  const environmentField = (zi: Z, description: string) =>
    names.length > 0
      ? zi.enum(names as [string, ...string[]], { description })
      : zi.string({ description });
  return {
    entityRef: (zi: Z) =>
      zi
        .string({
          description:
            'The component to promote, e.g. component:default/devops-app',
        })
        .refine(value => normalizeComponentRef(value) !== undefined, {
          message:
            'must be a component entity ref such as component:default/devops-app',
        }),
    from: (zi: Z) =>
      environmentField(zi, 'Source environment, from awsEnvironments'),
    to: (zi: Z) =>
      environmentField(
        zi,
        'Target environment: the one right after `from` on the promotion path',
      ),
    image: (zi: Z) =>
      zi
        .string({
          description:
            'Image to promote; defaults to what runs in `from` and must equal it when given',
        })
        .min(1)
        .max(1024)
        .optional(),
    waitForCompletion: (zi: Z) =>
      zi
        .boolean({
          description:
            'Wait until the promotion has been deployed (or failed, or was rejected)',
        })
        .default(false),
    timeoutMinutes: (zi: Z) =>
      zi
        .number({
          description: 'How long to wait with waitForCompletion (minutes)',
        })
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
  };
}

export interface PromoteInput {
  entityRef: string;
  from: string;
  to: string;
  image?: string;
  waitForCompletion: boolean;
  timeoutMinutes: number;
}

/**
 * Checks the input against the configured promotion path, before any HTTP
 * call. The backend checks the same (and everything that needs the catalog,
 * AWS or the user's permissions) again; this only fails early and names the
 * field.
 */
export function parsePromoteInput(
  raw: unknown,
  environments: AwsEnvironmentConfig[],
): PromoteInput {
  const fields = promoteInputFields(environments);
  const names = environments.map(e => e.name);
  const schema = z
    .object({
      entityRef: fields.entityRef(z),
      from: fields.from(z),
      to: fields.to(z),
      image: fields.image(z),
      waitForCompletion: fields.waitForCompletion(z),
      timeoutMinutes: fields.timeoutMinutes(z),
    })
    .superRefine((input, ctx) => {
      const index = names.indexOf(input.from);
      if (index < 0 || !names.includes(input.to)) {
        return; // reported by the enums
      }
      const next = names[index + 1];
      if (next === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['from'],
          message: `"${input.from}" is the last environment of the promotion path; there is nothing to promote it to`,
        });
      } else if (input.to !== next) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['to'],
          message: `"${input.to}" is not the environment after "${input.from}"; promotions go one step at a time, from "${input.from}" to "${next}"`,
        });
      }
    });
  const result = schema.safeParse(raw ?? {});
  if (!result.success) {
    const lines = result.error.issues.map(issue => {
      const field = issue.path.length > 0 ? issue.path.join('.') : '(input)';
      return `${field}: ${issue.message}`;
    });
    throw inputError(`Invalid input: ${[...new Set(lines)].join('; ')}`);
  }
  const input = result.data;
  return {
    entityRef: normalizeComponentRef(input.entityRef)!,
    from: input.from,
    to: input.to,
    image: input.image,
    waitForCompletion: input.waitForCompletion,
    timeoutMinutes: input.timeoutMinutes,
  };
}

/** `component:default/x`, `component:x` → `component:default/x`; other kinds → undefined. */
function normalizeComponentRef(value: string): string | undefined {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'component') {
      return undefined;
    }
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}

/*
 * What the resource providers share: PascalCase properties to the APIs'
 * camelCase, the number and boolean forms CloudFormation may pass, and
 * providers of resources that exist only as ids and attributes.
 */
import type { Provider, ResourceContext, ResourceResult } from './provider';
import { hexId } from './provider';

/** CFN property names are PascalCase; the ECS API is camelCase. */
export function camelize(value: any, key?: string): any {
  if (Array.isArray(value)) return value.map(v => camelize(v));
  if (!value || typeof value !== 'object') return value;
  if (key === 'Options' || key === 'DockerLabels' || key === 'SystemControls') {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k.charAt(0).toLowerCase() + k.slice(1)] = camelize(v, k);
  }
  return out;
}

/** A resource that exists only as ids and attributes. */
export function simple(
  make: (props: any, ctx: ResourceContext) => ResourceResult,
  replaceOn: string[] | 'all' = [],
): Provider {
  return {
    create: make,
    update: (physicalId, props, previous, ctx) => {
      const fresh = make(props, ctx);
      // Keep the identity; refresh attributes that derive from properties.
      const attributes = { ...fresh.attributes };
      for (const [k, v] of Object.entries(previous.attributes)) {
        if (
          typeof v === 'string' &&
          /^(?:[a-z]+-0[0-9a-f]{16}|arn:.*)$/.test(v)
        )
          attributes[k] = v;
      }
      return { physicalId, attributes };
    },
    delete: () => {},
    replaceOn,
  };
}

/** A resource known by a generated id, which is also its `attribute`. */
export function idResource(
  prefix: string,
  attribute: string,
  replaceOn?: string[] | 'all',
): Provider {
  return simple((_p, ctx) => {
    const id = hexId(ctx, prefix);
    return { physicalId: id, attributes: { [attribute]: id } };
  }, replaceOn);
}

/** A number property that may be absent (CFN may pass it as a string). */
export function optionalNumber(value: unknown): number | undefined {
  return value !== undefined ? Number(value) : undefined;
}

/** A boolean property (CFN may pass it as a string). */
export function cfnBool(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * The AWS console's host name for a region. Each partition has its own
 * console: `cn-*` regions are served from amazonaws.cn, GovCloud from one
 * host for all its regions; the region still goes into the URL's query.
 *
 * @public
 */
export function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `console.amazonaws-us-gov.com`;
  return `${region}.console.aws.amazon.com`;
}

/**
 * A URL of the AWS console for a region, in its partition: `path` (from
 * its leading `/`, with query and fragment) on the region's console host.
 *
 * @public
 */
export function consoleUrl(region: string, path: string): string {
  return `https://${consoleHost(region)}${path}`;
}

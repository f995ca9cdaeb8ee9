/*
 * Minimal XML writer for awsQuery responses. Lists are written as <member>
 * elements and timestamps as ISO 8601, which is what the SDK's query
 * deserialiser expects for CloudFormation and STS.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#xD;');
}

export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value
      .filter(v => v !== undefined && v !== null)
      .map(v => `<member>${toXml(v)}</member>`)
      .join('');
  }
  if (typeof value === 'object') {
    let out = '';
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${key}>${toXml(v)}</${key}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

/*
 * Hand-built awsQuery/EC2 requests (form in, XML out), as the AWS CLI and SDK
 * v2 send them, and a small reader for the XML the sandbox answers with.
 */
import type { RunningSandbox } from '../index';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#xD;/g, '\r')
    .replace(/&amp;/g, '&');

/** Parses element-only XML with text leaves; throws on mismatched tags. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (const m of xml.replace(/^<\?xml[^>]*\?>/, '').matchAll(token)) {
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      top.text += unescape(m[5]);
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3].matchAll(/([\w:]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
      const node: XmlNode = { name: m[2], attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[4]) stack.push(node);
    }
  }
  if (stack.length !== 1) throw new Error('unclosed element');
  return root.children[0];
}

/** The child elements at a path of names, e.g. child(n, 'A', 'member'). */
export function all(node: XmlNode, ...path: string[]): XmlNode[] {
  let nodes = [node];
  for (const name of path) {
    nodes = nodes.flatMap(n => n.children.filter(c => c.name === name));
  }
  return nodes;
}

export function one(node: XmlNode, ...path: string[]): XmlNode {
  const found = all(node, ...path);
  if (found.length !== 1) {
    throw new Error(`${path.join('/')}: ${found.length} elements`);
  }
  return found[0];
}

export const text = (node: XmlNode, ...path: string[]) =>
  one(node, ...path).text;

/**
 * POSTs a form the way the query SDKs do. The SigV4 header carries the
 * credential scope the sandbox routes on; signatures are not verified.
 * `accessKeyId` picks the caller (AssumeRole's keys act in the role's account).
 */
export async function queryRequest(
  sb: RunningSandbox,
  signingName: string,
  params: Record<string, string | number | boolean>,
  region = 'us-east-1',
  accessKeyId = 'AKIDTEST',
): Promise<{ status: number; contentType: string; xml: XmlNode }> {
  const res = await fetch(sb.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization:
        `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260115/${region}/${signingName}/aws4_request, ` +
        `SignedHeaders=content-type;host;x-amz-date, Signature=${'0'.repeat(
          64,
        )}`,
      'x-amz-date': '20260115T120000Z',
    },
    body: new URLSearchParams(
      Object.entries(params).map(([k, v]) => [k, String(v)]),
    ).toString(),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    xml: parseXml(await res.text()),
  };
}

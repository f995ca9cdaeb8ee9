/*
 * Reads (but does not verify) the SigV4 signature. AWS refuses unsigned
 * requests, so the sandbox does too; any key is accepted because nothing here
 * holds real credentials. The credential scope names the service, which is
 * how requests for different services are told apart on one port.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface SigV4Identity {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/;

export function parseSigV4(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): SigV4Identity | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = AUTH_PATTERN.exec(auth.trim());
    if (m) {
      return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] };
    }
    return undefined;
  }
  // Presigned URLs carry the same scope in the query string.
  if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const parts = (query.get('X-Amz-Credential') ?? '').split('/');
    if (parts.length === 5 && parts[4] === 'aws4_request') {
      return {
        accessKeyId: parts[0],
        date: parts[1],
        region: parts[2],
        service: parts[3],
      };
    }
  }
  return undefined;
}

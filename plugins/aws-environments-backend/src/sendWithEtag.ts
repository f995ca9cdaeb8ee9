import { createHash } from 'crypto';
import express from 'express';

/**
 * Sends `body` as JSON with an ETag of its content, or 304 with no body
 * when the request's If-None-Match names that ETag: a page polling a
 * status that did not change receives a few bytes instead of all of it.
 */
export function sendWithEtag(
  req: express.Request,
  res: express.Response,
  body: unknown,
): void {
  const json = JSON.stringify(body);
  const etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
  res.setHeader('ETag', etag);
  // Private: the body depends on who asks (catalog visibility, permissions).
  res.setHeader('Cache-Control', 'private, no-cache');
  const match = req.headers['if-none-match'];
  if (
    match &&
    match
      .split(',')
      .map(t => t.trim())
      .some(t => t === etag || t === '*')
  ) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(json);
}

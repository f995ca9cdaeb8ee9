/** The tag (or short digest) of an image reference, as people name builds. */
export function imageTag(image?: string): string {
  if (!image) return '—';
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 1 + 19);
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > lastSlash ? image.slice(colon + 1) : 'latest';
}

/**
 * The part of an image reference a person compares: the tag (or a short
 * digest) after the repository, e.g. `3.12-slim` of
 * `public.ecr.aws/docker/library/python:3.12-slim`.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) {
    return image.slice(at + 1, at + 1 + 19);
  }
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0 ? image.slice(colon + 1) : 'latest';
}

import { imageTag } from './imageTag';

describe('imageTag', () => {
  it('takes the tag after the repository, not a registry port', () => {
    expect(imageTag('public.ecr.aws/docker/library/python:3.12-slim')).toBe(
      '3.12-slim',
    );
    expect(imageTag('localhost:5000/shop:1.4.0')).toBe('1.4.0');
    expect(imageTag('localhost:5000/shop')).toBe('latest');
    expect(imageTag('nginx')).toBe('latest');
    expect(imageTag(undefined)).toBe('—');
  });

  it('shortens a digest', () => {
    expect(imageTag(`shop@sha256:${'a'.repeat(64)}`)).toBe(
      `sha256:${'a'.repeat(12)}`,
    );
  });
});

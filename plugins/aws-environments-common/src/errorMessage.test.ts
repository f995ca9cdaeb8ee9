import { errorMessage } from './errorMessage';

describe('errorMessage', () => {
  it('is the message of an Error, of any subclass', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    class ThrottlingException extends Error {}
    expect(errorMessage(new ThrottlingException('slow down'))).toBe(
      'slow down',
    );
  });

  it('is the text of anything else thrown', () => {
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});

import { forTaskLog, inputError } from './taskErrors';

describe('errors for the task log', () => {
  it('an input error: its stack is its one line, without frames or paths', () => {
    const error = inputError('Invalid input: project: must be 3 to 20 …');
    expect(error.name).toBe('InputError');
    expect(error.stack).toBe(
      'InputError: Invalid input: project: must be 3 to 20 …',
    );
  });

  it('any other error keeps its name and message, and loses its frames', () => {
    const plain = new Error('Provisioning failed for qa:\nqa: reason');
    expect(plain.stack).toMatch(/\n\s+at /);
    const error = forTaskLog(plain);
    expect(error).toBe(plain);
    expect(error.stack).toBe('Error: Provisioning failed for qa:\nqa: reason');
    expect(error.stack).not.toMatch(/\n\s+at |taskErrors\.test\.ts/);
  });
});

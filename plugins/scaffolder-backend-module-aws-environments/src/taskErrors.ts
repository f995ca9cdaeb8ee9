import { InputError } from '@backstage/errors';

/**
 * Makes an error the actions throw for the person reading the task log fit
 * that log. When a step fails, the scaffolder writes the error's `stack`,
 * not its message, into the task log (its workflow runner's `markFailed`:
 * `emitLog(String(err.stack))`), and a stack ends in the backend's frames
 * and absolute file paths. The stack becomes `Name: message`, which is all
 * the log then shows.
 *
 * Only for errors whose message says everything: an unexpected error keeps
 * its frames, which are then what someone needs.
 */
export function forTaskLog<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** An input error, one line in the task log: `InputError: <message>`. */
export function inputError(message: string): InputError {
  return forTaskLog(new InputError(message));
}

import { causesFirst, FailingEvent, formatFailingEvents } from './stackEvents';

/**
 * A stack's deployment failed. The message is meant for people (a scaffolder
 * task's log, a promotion's failure reason): the stack, then the failing
 * resources with CloudFormation's reasons, or when no resource failed the
 * toolkit's own text cleaned of emoji, colours, source locations and stack
 * traces. The toolkit's error, as it was, is the `cause`.
 *
 * @public
 */
export class StackDeployError extends Error {
  /** Always `StackDeployError`. */
  override readonly name = 'StackDeployError';
  /** The message without the leading "<stack> failed:". */
  readonly detail: string;
  constructor(
    /** The stack whose deployment failed. */
    readonly stackName: string,
    /** The *_FAILED resource events toolkit-lib streamed. */
    failing: FailingEvent[],
    cause: unknown,
  ) {
    const failures = causesFirst(failing);
    const detail =
      failures.length > 0
        ? formatFailingEvents(failures)
        : withoutToolkitPrefix(
            cleanErrorText(
              cause instanceof Error ? cause.message : String(cause),
            ),
            stackName,
          );
    super(
      `${stackName} failed:${detail.includes('\n') ? '\n' : ' '}${detail}`,
      {
        cause,
      },
    );
    this.detail = detail;
  }
}

/**
 * Why a deployment failed, for people: a `StackDeployError`'s detail, any
 * other error's message cleaned with `cleanErrorText`.
 *
 * @public
 */
export function deployFailureReason(
  error: unknown,
  /** This run's failing stack events, read after the deploy; they win. */
  failures: FailingEvent[] = [],
): string {
  if (failures.length > 0) {
    return formatFailingEvents(failures);
  }
  if (error instanceof StackDeployError) {
    return error.detail;
  }
  return cleanErrorText(error instanceof Error ? error.message : String(error));
}

// A CSI escape sequence: colours, bold, cursor movement.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** The text without ANSI escape sequences (colours, bold, cursor movement). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

// Pictographs (❌ ✅ ⚠ ✨ …), what joins or modifies them, and the padding
// after them: "❌  stack failed" becomes "stack failed".
const EMOJI =
  /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u{FE0E}\u{FE0F}\u{200D}\u{20E3}]+[ \t]*/gu;
// One frame of a stack trace as Node prints it: "at fn (/abs/file.js:1:2)",
// "at async fn (node:internal/x:1:2)", "at /abs/file.js:1:2",
// "at Array.map (<anonymous>)", "at <anonymous>", "at Promise.all (index 0)".
// Not a sentence that starts with "at" ("at least one subnet must be …").
const STACK_FRAME =
  /^\s*at (?:async )?(?:.*\((?:.*:\d+:\d+|<anonymous>|native|index \d+)\)|\S+:\d+:\d+|<anonymous>)\s*$/;
// toolkit-lib's diagnosis: "Source Location: <frame>", then one frame per
// line, aligned under the first.
const SOURCE_LOCATION = /^\s*Source Location:/;
const CONTINUATION = /^\s{8,}\S/;
// An absolute (or file://) path to a source or data file, with an
// optional :line:column. Not the path of a URL ("https://host/a/b.json",
// "s3://bucket/key.json"): a path starts after neither a word character
// nor ":" or "/".
const SOURCE_FILE =
  /(?<![\w.:/\\-])(?:file:\/\/)?(?:[A-Za-z]:)?(?:[\\/][^\s\\/()'":]+)+\.(?:[cm]?[jt]sx?|json|map)(?::\d+){0,2}/g;

/**
 * The text of a toolkit or SDK error as people should see it: no ANSI
 * escapes, no emoji, no "Source Location" blocks or stack traces, and a
 * source file named by its base name instead of its path. Other lines
 * (CloudFormation's reasons, parameter names, ARNs) are kept as they are.
 *
 * @public
 */
export function cleanErrorText(text: string): string {
  const kept: string[] = [];
  let inSourceLocation = false;
  for (const raw of stripAnsi(text).split(/\r?\n/)) {
    if (SOURCE_LOCATION.test(raw)) {
      inSourceLocation = true;
      continue;
    }
    if (inSourceLocation && CONTINUATION.test(raw)) {
      continue;
    }
    inSourceLocation = false;
    if (STACK_FRAME.test(raw)) {
      continue;
    }
    const line = raw
      .replace(EMOJI, '')
      .replace(SOURCE_FILE, path =>
        path.replace(/(?::\d+)+$/, '').replace(/^.*[\\/]/, ''),
      )
      .replace(/[ \t]+$/, '');
    kept.push(line);
  }
  return kept
    .join('\n')
    .replace(/^\s+|\s+$/g, '')
    .replace(/\n{3,}/g, '\n\n');
}

/**
 * toolkit-lib wraps a stack's error as "<stack> failed: <ErrorName>: …";
 * the stack is named by the caller already.
 */
function withoutToolkitPrefix(text: string, stackName: string): string {
  const prefix = `${stackName} failed:`;
  const rest = text.startsWith(prefix) ? text.slice(prefix.length) : text;
  return rest.replace(/^\s*(?:[A-Z]\w*Error|DeployStackFailed):\s*/, '').trim();
}

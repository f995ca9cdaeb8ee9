/**
 * The message of anything thrown: an Error's own message, otherwise the
 * thrown value as text (SDKs and user code do throw strings and plain
 * objects).
 *
 * @public
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Error helpers for the plugin's steps. Steps throw plain Errors with a context message in the reference's
// words (lowercase, quoted names) and the original error as `cause`; skel turns them into code 999, as Go does.

/** The message of any thrown value. */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** `<context>: <cause's message>`, keeping the cause. */
export function failure(context: string, cause: unknown): Error {
  return new Error(`${context}: ${messageOf(cause)}`, { cause });
}

// CNI error codes (SPEC "Error" table) and the one error type that becomes error JSON on stdout.

/** The spec's well-known codes; 100 and up are free for plugin-specific errors. */
export const ErrorCode = {
  IncompatibleCniVersion: 1,
  UnsupportedField: 2,
  UnknownContainer: 3,
  InvalidEnvironmentVariables: 4,
  IoFailure: 5,
  DecodingFailure: 6,
  InvalidNetworkConfig: 7,
  InvalidNetNs: 8, // not in the spec table; Go's skel uses it for "CNI_NETNS is the plugin's own netns"
  TryAgainLater: 11,
  PluginNotAvailable: 50,
  LimitedConnectivity: 51,
  Internal: 999,
} as const;

// A brand rather than `instanceof` alone: two bundled copies of skel (or a vitest module reload) still agree.
const brand = Symbol.for('cni-ts.CniError');

/** An error the runtime sees as `{"code": code, "msg": msg, "details": details}` on stdout. */
export class CniError extends Error {
  override readonly name = 'CniError';
  readonly code: number;
  readonly msg: string;
  readonly details?: string;
  readonly [brand] = true;

  constructor(code: number, msg: string, details?: string, options?: { cause?: unknown }) {
    super(msg, options);
    this.code = code;
    this.msg = msg;
    if (details !== undefined && details !== '') this.details = details;
  }

  /** The JSON object Go's types.Error marshals to: code, msg, then details only when set. */
  toJSON(): { code: number; msg: string; details?: string } {
    return this.details === undefined ? { code: this.code, msg: this.msg } : { code: this.code, msg: this.msg, details: this.details };
  }
}

export function isCniError(e: unknown): e is CniError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
}

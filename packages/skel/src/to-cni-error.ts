// The one converter at the error boundary (house style B6): whatever a plugin throws becomes a CniError.
import { CniError, ErrorCode, isCniError } from './errors.ts';
import { formatIssue, isZodErrorLike, type ZodErrorLike } from './zod-issues.ts';

/**
 * Code 7 (InvalidNetworkConfig) for a zod failure. `msg` names the first bad field
 * (`invalid config: ipam.ranges[0][0].subnet: invalid cidrv4`); `details` lists every issue.
 */
export function zodToCniError(e: ZodErrorLike, what = 'config', code: number = ErrorCode.InvalidNetworkConfig): CniError {
  const lines = e.issues.map((issue) => formatIssue(issue));
  return new CniError(code, `invalid ${what}: ${lines[0] ?? 'invalid value'}`, lines.length > 1 ? lines.join('; ') : undefined, {
    cause: e,
  });
}

/** Never wraps a CniError; a zod error becomes 7 naming the field; anything else becomes 999 (Go's ErrInternal). */
export function toCniError(e: unknown): CniError {
  if (isCniError(e)) return e;
  if (isZodErrorLike(e)) return zodToCniError(e);
  if (e instanceof AggregateError) {
    // DEL and GC run independent steps and report every failure at once.
    const inner = (e.errors as unknown[]).map(toCniError);
    const codes = new Set(inner.map((x) => x.code));
    const code = codes.size === 1 ? (inner[0]?.code ?? ErrorCode.Internal) : ErrorCode.Internal;
    const parts = inner.map((x) => (x.details ? `${x.msg}: ${x.details}` : x.msg));
    const msg = e.message !== '' ? e.message : (parts[0] ?? 'multiple errors');
    return new CniError(code, msg, parts.join('; '), { cause: e });
  }
  if (e instanceof Error) return new CniError(ErrorCode.Internal, e.message, undefined, { cause: e });
  return new CniError(ErrorCode.Internal, String(e), undefined, { cause: e });
}

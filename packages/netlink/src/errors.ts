import { errnoName, errnoText, errnoValue } from './sys/sys-error.ts';

/**
 * The kernel refused a netlink request. `code` is the errno name ('EEXIST'), `op` the request type
 * ('RTM_NEWLINK'), `extack` the kernel's extended-ack text when it sent one ("Unknown device type"), and
 * `subject` what the request was about (`link "veth0"`), for the message.
 */
export class NetlinkError extends Error {
  override readonly name = 'NetlinkError' as const;
  readonly errno: number;
  readonly code: string;
  readonly op: string;
  readonly extack: string | undefined;
  readonly subject: string | undefined;

  constructor(init: { errno: number; op: string; extack?: string | undefined; subject?: string | undefined; reason?: string }) {
    const code = errnoName(init.errno);
    const about = init.subject ? ` (${init.subject})` : '';
    const why = init.reason ?? init.extack ?? errnoText(init.errno);
    super(`${init.op}${about} failed: ${code}: ${why}`);
    this.errno = init.errno;
    this.code = code;
    this.op = init.op;
    this.extack = init.extack;
    this.subject = init.subject;
  }
}

/**
 * True if `err` is a NetlinkError, optionally with the given errno name. Aliases match (`'ENOTSUP'` is
 * `'EOPNOTSUPP'`). Checks the name brand, not only `instanceof`, so it survives duplicate module copies.
 */
export function isNetlinkError(err: unknown, code?: string): err is NetlinkError {
  if (!(err instanceof Error) || err.name !== 'NetlinkError') return false;
  if (code === undefined) return true;
  const want = errnoValue(code);
  if (want === undefined) throw new TypeError(`isNetlinkError: unknown errno name "${code}"`);
  return (err as NetlinkError).errno === want;
}

/** A wait (for oper-up, for DAD, for an event) ran out of time. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError' as const;
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}`);
    this.timeoutMs = timeoutMs;
  }
}

export function isWaitTimeoutError(err: unknown): err is WaitTimeoutError {
  return err instanceof Error && err.name === 'WaitTimeoutError';
}

import { errnoName, errnoText, errnoValue, lazyMessage } from './sys/sys-error.ts';

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
  readonly #reason: string | undefined;

  static {
    // Built when read: a refusal that is caught and dropped (EEXIST of an existing bridge) never loads the errno text.
    lazyMessage(NetlinkError, (e) => {
      const about = e.subject ? ` (${e.subject})` : '';
      return `${e.op}${about} failed: ${e.code}: ${e.#reason ?? e.extack ?? errnoText(e.errno)}`;
    });
  }

  constructor(init: { errno: number; op: string; extack?: string | undefined; subject?: string | undefined; reason?: string }) {
    super(); // no message here: see lazyMessage
    this.errno = init.errno;
    this.code = errnoName(init.errno);
    this.op = init.op;
    this.extack = init.extack;
    this.subject = init.subject;
    this.#reason = init.reason;
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

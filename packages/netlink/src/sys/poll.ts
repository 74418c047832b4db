import { watchReadable } from './libc.ts';
import { SysError } from './sys-error.ts';

/** What waitReadable needs of a cancellation signal. An AbortSignal has it, and so does {@link PollCanceller}. */
export interface PollSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * An AbortController for waitReadable only, which is its own signal: EventStream and UdpSocket abort their pending
 * poll with it before they close the fd. Node's AbortController would load its abort_controller and event_target
 * modules for that one job, about 150 KiB of a plugin run's peak memory (bridge ADD waits on link events).
 */
export class PollCanceller implements PollSignal {
  #aborted = false;
  readonly #listeners = new Set<() => void>();

  get aborted(): boolean {
    return this.#aborted;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.#aborted) this.#listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.#listeners.delete(listener);
  }

  /** Ends every pending wait (they resolve false); later waits resolve false at once. Idempotent. */
  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }
}

/**
 * Resolves true when `fd` becomes readable, false after `timeoutMs` or when `signal` aborts (close the fd only
 * after that: the watcher is removed first). It waits on the main libuv loop through koffi's uv_poll binding, so
 * it creates no thread (no thread can be born inside a namespace window) and the event loop keeps running.
 * One waiter per fd at a time (a libuv rule).
 */
export function waitReadable(fd: number, timeoutMs: number, signal?: PollSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      handle.close();
    };
    const onAbort = (): void => {
      if (done) return;
      finish();
      resolve(false);
    };
    const handle = watchReadable(fd, (status) => {
      if (done) return;
      finish();
      if (status < 0) reject(new SysError('poll', -status));
      else resolve(true);
    });
    const timer = setTimeout(onAbort, Math.max(0, timeoutMs));
    signal?.addEventListener('abort', onAbort);
  });
}

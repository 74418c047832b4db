import { watchReadable } from './libc.ts';
import { SysError } from './sys-error.ts';

/**
 * Resolves true when `fd` becomes readable, false after `timeoutMs` or when `signal` aborts (close the fd only
 * after that: the watcher is removed first). It waits on the main libuv loop through koffi's uv_poll binding, so
 * it creates no thread (no thread can be born inside a namespace window) and the event loop keeps running.
 * One waiter per fd at a time (a libuv rule).
 */
export function waitReadable(fd: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
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

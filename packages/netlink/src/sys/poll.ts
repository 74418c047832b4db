import { watchReadable } from './libc.ts';
import { SysError } from './sys-error.ts';

/**
 * Resolves true when `fd` becomes readable, false after `timeoutMs`. It waits on the main libuv loop through
 * koffi's uv_poll binding, so it creates no thread (no thread can be born inside a namespace window) and the
 * event loop keeps running meanwhile. Only one waiter per fd at a time (a libuv rule).
 */
export function waitReadable(fd: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (): void => {
      done = true;
      clearTimeout(timer);
      handle.close();
    };
    const handle = watchReadable(fd, (status) => {
      if (done) return;
      finish();
      if (status < 0) reject(new SysError('poll', -status));
      else resolve(true);
    });
    const timer = setTimeout(() => {
      if (done) return;
      finish();
      resolve(false);
    }, Math.max(0, timeoutMs));
  });
}

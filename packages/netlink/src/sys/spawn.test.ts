import { describe, expect, test } from 'vitest';
import { runProgram } from './spawn.ts';
import { isSysError } from './sys-error.ts';

const sh = (script: string, options: Parameters<typeof runProgram>[2] = {}) => runProgram('/bin/sh', ['-c', script], options);

describe('runProgram', () => {
  test('exit status, stdout and stderr', () => {
    expect(sh('echo out; echo err >&2; exit 3')).toEqual({ status: 3, signal: null, stdout: 'out\n', stderr: 'err\n', timedOut: false });
  });

  test('input goes to stdin, which is then closed; a large one does not deadlock against a large output', () => {
    expect(runProgram('/bin/cat', [], { input: 'hello\n' }).stdout).toBe('hello\n');
    const big = 'x'.repeat(300_000);
    expect(runProgram('/bin/cat', [], { input: big }).stdout).toBe(big);
    expect(runProgram('/bin/cat', []).stdout).toBe(''); // no input: /dev/null
    expect(sh('exit 0', { input: 'y'.repeat(200_000) }).status).toBe(0); // it never reads its stdin
  });

  test('a signal that ends it is named', () => {
    expect(sh('kill -USR1 $$')).toMatchObject({ status: null, signal: 'SIGUSR1', timedOut: false });
  });

  test('the timeout sends SIGTERM and says so', () => {
    const started = Date.now();
    expect(sh('sleep 10', { timeoutMs: 100 })).toMatchObject({ status: null, signal: 'SIGTERM', timedOut: true });
    expect(sh('trap "" TERM; sleep 10', { timeoutMs: 100 })).toMatchObject({ signal: 'SIGKILL', timedOut: true }); // 2 s later
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a program that cannot be started is a SysError naming the errno and the path', () => {
    const err = (() => {
      try {
        runProgram('/nonexistent/tool', []);
      } catch (e) {
        return e;
      }
    })();
    expect(isSysError(err, 'ENOENT')).toBe(true);
    expect((err as Error).message).toMatch(/^posix_spawn failed: ENOENT: .*\(\/nonexistent\/tool\)$/);
  });

  test('working directory, environment, and stdout to /dev/null', () => {
    expect(runProgram('/bin/pwd', [], { cwd: '/' }).stdout).toBe('/\n');
    expect(sh('echo "$ONLY"', { env: { ONLY: 'this', PATH: '/usr/bin:/bin' } }).stdout).toBe('this\n');
    expect(sh('echo "$PATH"').stdout).toBe(`${process.env.PATH ?? ''}\n`); // ours by default
    expect(sh('echo out; echo err >&2', { captureStdout: false })).toMatchObject({ stdout: '', stderr: 'err\n' });
  });

  test('the child starts with default signal dispositions and no blocked signals (node ignores SIGPIPE)', () => {
    const status = sh('grep -E "^Sig(Ign|Blk):" /proc/self/status').stdout;
    expect(status).toMatch(/^SigBlk:\s+0+$/m);
    // Signals 1-31 (bits 0-30); like libuv, it leaves glibc's internal and the real-time ones as they are.
    const ignored = /^SigIgn:\s+([0-9a-f]+)$/m.exec(status)?.[1] ?? '';
    expect(Number.parseInt(ignored.slice(-8), 16) & 0x7fffffff).toBe(0);
  });

  test('returns once the program has exited and closed its outputs, not when a daemonised child exits', () => {
    const started = Date.now();
    // A daemon: the grandchild keeps running with its outputs elsewhere, the parent exits at once.
    const r = sh('(sleep 5 >/dev/null 2>&1 </dev/null &) ; echo started');
    expect(r).toMatchObject({ status: 0, stdout: 'started\n' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

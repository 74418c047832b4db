// Delegation through real executables: small /bin/sh fixture plugins written to a fresh temp dir per test.
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createDelegate, type DelegateRequest } from './delegate.ts';
import { CniError } from './errors.ts';
import { createExecRunner } from './exec-runner.ts';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'skel-delegate-'));
});
afterEach(() => {
  // a fixture that left a background process records its pid here
  const pidFile = join(dir, 'bg.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function fixture(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${body}\n`);
  chmodSync(p, 0o755);
  return p;
}

const request = (over: Partial<DelegateRequest> = {}): DelegateRequest => ({
  type: 'ipam',
  command: 'ADD',
  stdin: Buffer.from('{"cniVersion":"1.0.0","name":"n"}'),
  env: { PATH: '/usr/bin:/bin', CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1' },
  cniPath: [dir],
  timeoutMs: 10_000,
  ...over,
});

async function rejection(p: Promise<unknown>): Promise<CniError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CniError) return e;
    throw e;
  }
  throw new Error('expected the promise to reject');
}

describe('exec runner', () => {
  test('runs the first match on CNI_PATH with our stdin bytes and env, and returns its stdout', async () => {
    const other = mkdtempSync(join(tmpdir(), 'skel-delegate-empty-'));
    try {
      fixture('ipam', `cat > "${dir}/stdin"; env > "${dir}/env"; printf '%s' '{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}'`);
      const out = await createExecRunner().exec(request({ cniPath: [other, dir], env: { CNI_COMMAND: 'DEL', FOO: 'a=b' } }));
      expect(out).toBe('{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}');
      expect(readFileSync(join(dir, 'stdin'), 'utf8')).toBe('{"cniVersion":"1.0.0","name":"n"}');
      expect(readFileSync(join(dir, 'env'), 'utf8')).toContain('FOO=a=b\n');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
  test('not found: the reference message, code 999', async () => {
    const e = await rejection(createExecRunner().exec(request({ type: 'host-local', cniPath: ['/a', '/b'] })));
    expect([e.code, e.msg]).toEqual([999, 'failed to find plugin "host-local" in path [/a /b]']);
  });
  test('a type with a path separator is refused', async () => {
    const e = await rejection(createExecRunner().exec(request({ type: '../sh' })));
    expect(e.msg).toBe('invalid plugin name: ../sh');
  });
  test('a CNI error printed by the delegate is passed on unchanged', async () => {
    fixture('ipam', `printf '%s' '{"code":11,"msg":"busy","details":"lock held"}'; exit 1`);
    const e = await rejection(createExecRunner().exec(request()));
    expect(e.toJSON()).toEqual({ code: 11, msg: 'busy', details: 'lock held' });
  });
  test('empty stdout: the message quotes stderr', async () => {
    fixture('ipam', `echo 'boom "x"' >&2; exit 2`);
    const passed: string[] = [];
    const e = await rejection(createExecRunner({ stderr: (s) => passed.push(s) }).exec(request()));
    expect([e.code, e.msg]).toEqual([999, 'netplugin failed: "boom \\"x\\"\\n"']);
    expect(passed.join('')).toBe('boom "x"\n'); // and stderr still reached ours
  });
  test('empty stdout and stderr: the exit status', async () => {
    fixture('ipam', 'exit 3');
    expect((await rejection(createExecRunner().exec(request()))).msg).toBe('netplugin failed with no error message: exit status 3');
  });
  test('stdout that is not JSON', async () => {
    fixture('ipam', 'echo oops; exit 1');
    expect((await rejection(createExecRunner().exec(request()))).msg).toMatch(
      /^netplugin failed but error parsing its diagnostic message "oops\\n": /,
    );
  });
  test('stderr of a successful delegate is passed through', async () => {
    fixture('ipam', `echo note >&2; printf '{}'`);
    const passed: string[] = [];
    expect(await createExecRunner({ stderr: (s) => passed.push(s) }).exec(request())).toBe('{}');
    expect(passed.join('')).toBe('note\n');
  });
  test('a delegate that outlives the timeout is killed and the call fails with code 11', async () => {
    fixture('ipam', 'echo started >&2; exec sleep 30');
    const t0 = Date.now();
    const e = await rejection(createExecRunner({ stderr: () => {} }).exec(request({ timeoutMs: 200 })));
    expect([e.code, e.msg, e.details]).toEqual([11, 'plugin "ipam" timed out after 200 ms (ADD)', 'stderr: started\n']);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
  test('a delegate ignoring SIGTERM is killed after the grace period', async () => {
    fixture('ipam', `trap '' TERM; while :; do sleep 0.05; done`);
    const t0 = Date.now();
    const e = await rejection(createExecRunner({ killGraceMs: 200 }).exec(request({ timeoutMs: 100 })));
    expect(e.code).toBe(11);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
  test('a daemon started by the delegate that keeps stdout open does not hang the call', async () => {
    fixture('ipam', `sleep 20 & echo $! > "${dir}/bg.pid"; printf '{"cniVersion":"1.0.0"}'`);
    const t0 = Date.now();
    expect(await createExecRunner({ drainMs: 100 }).exec(request())).toBe('{"cniVersion":"1.0.0"}');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
  test('"text file busy" is retried until the binary is no longer being written', async () => {
    const p = join(dir, 'ipam');
    const fd = openSync(p, 'w', 0o755);
    writeSync(fd, "#!/bin/sh\nprintf '{}'\n");
    chmodSync(p, 0o755);
    setTimeout(() => closeSync(fd), 300); // the "upgrade" finishes while we retry
    const t0 = Date.now();
    expect(await createExecRunner({ busyRetryDelayMs: 100 }).exec(request())).toBe('{}');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });
  test('"text file busy" gives up after the retries', async () => {
    const p = join(dir, 'ipam');
    const fd = openSync(p, 'w', 0o755);
    try {
      writeSync(fd, "#!/bin/sh\nprintf '{}'\n");
      chmodSync(p, 0o755);
      const e = await rejection(createExecRunner({ busyRetries: 2, busyRetryDelayMs: 10 }).exec(request()));
      expect([e.code, e.msg]).toEqual([999, expect.stringContaining('ETXTBSY')]);
    } finally {
      closeSync(fd);
    }
  });
  test('a file that is not executable', async () => {
    writeFileSync(join(dir, 'ipam'), 'x');
    const e = await rejection(createExecRunner().exec(request()));
    expect(e.msg).toMatch(/^netplugin failed with no error message: .*EACCES/);
  });
});

describe('delegate over the exec runner', () => {
  const delegate = () =>
    createDelegate({
      runner: createExecRunner(),
      stdin: Buffer.from('{"cniVersion":"0.4.0","name":"n"}'),
      env: { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1' },
      cniPath: [dir],
      cniVersion: '0.4.0',
      timeoutMs: 10_000,
    });
  test('add parses the result into the 1.x model; a version-less one is read as the config version', async () => {
    fixture('ipam', `printf '%s' '{"ips":[{"version":"4","address":"10.0.0.2/24","gateway":"10.0.0.1"}]}'`);
    expect(await delegate().add('ipam')).toEqual({ cniVersion: '0.4.0', ips: [{ address: '10.0.0.2/24', gateway: '10.0.0.1' }] });
  });
  test.each(['del', 'check', 'status', 'gc'] as const)('%s runs the delegate with CNI_COMMAND replaced', async (verb) => {
    fixture('ipam', `echo "$CNI_COMMAND $CNI_CONTAINERID" > "${dir}/seen"`);
    await delegate()[verb]('ipam');
    expect(readFileSync(join(dir, 'seen'), 'utf8')).toBe(`${verb.toUpperCase()} c1\n`);
  });
  test('an invalid result names the delegate and the field', async () => {
    fixture('ipam', `printf '%s' '{"cniVersion":"1.0.0","ips":[{"address":"bogus"}]}'`);
    const e = await rejection(delegate().add('ipam'));
    expect(e.msg).toBe('invalid result from "ipam": invalid result: ips[0].address: expected an address in CIDR form, e.g. "10.1.0.5/16"');
    fixture('ipam', `printf 'not json'`);
    expect((await rejection(delegate().add('ipam'))).msg).toMatch(/^failed to parse the result of "ipam": /);
  });
});

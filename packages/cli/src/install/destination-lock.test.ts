// install and uninstall take one lock per destination, so two of them never interleave their read-plan-write of the
// manifest. Holders here are real processes (a `sleep` child), named in the lock file as another cni-ts would be.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME, withDestinationLock } from './destination-lock.ts';
import { run as install } from './install-command.ts';
import { MANIFEST_NAME, readManifest } from './manifest.ts';
import { fakeBundleDir, tempDir } from './testing.ts';
import { run as uninstall } from './uninstall-command.ts';

const quiet = { stdout: () => {}, stderr: () => {} };

/** The lock file content a live process would write: "<pid> <start time>". */
function identity(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return `${pid} ${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}\n`;
}

async function liveHolder(dir: string): Promise<ChildProcess & { pid: number }> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('spawn', resolve));
  writeFileSync(join(dir, LOCK_NAME), identity(child.pid!));
  return child as ChildProcess & { pid: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the destination lock', () => {
  it('is held while the work runs and removed afterwards, also when the work throws', async () => {
    using t = tempDir();
    expect(await withDestinationLock(t.path, () => readFileSync(join(t.path, LOCK_NAME), 'utf8'))).toBe(identity(process.pid));
    await expect(withDestinationLock(t.path, () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(readdirSync(t.path)).toEqual([]);
  });

  it('gives up after its wait on a live holder, naming it and the directory, without running the work', async () => {
    using t = tempDir();
    const holder = await liveHolder(t.path);
    try {
      let ran = false;
      await expect(withDestinationLock(t.path, () => (ran = true), 200)).rejects.toThrow(
        `another cni-ts install or uninstall (pid ${holder.pid}) is working in ${t.path}; gave up after 0.2 s`,
      );
      expect(ran).toBe(false);
      expect(readFileSync(join(t.path, LOCK_NAME), 'utf8')).toBe(identity(holder.pid)); // still the holder's
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over the lock of a holder that died, of a pid now used by another process, and a half-written one', async () => {
    using t = tempDir();
    const holder = await liveHolder(t.path);
    const waiting = withDestinationLock(t.path, () => 'after the holder died', 10_000);
    await sleep(150);
    holder.kill('SIGKILL');
    expect(await waiting).toBe('after the holder died');

    writeFileSync(join(t.path, LOCK_NAME), `${process.pid} 1\n`); // our pid, but a process that started at tick 1
    expect(await withDestinationLock(t.path, () => 'pid reused', 1_000)).toBe('pid reused');

    writeFileSync(join(t.path, LOCK_NAME), '');
    await expect(withDestinationLock(t.path, () => 'too early', 200)).rejects.toThrow(/gave up after 0\.2 s/); // may be mid-write
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(join(t.path, LOCK_NAME), longAgo, longAgo);
    expect(await withDestinationLock(t.path, () => 'half-written, long ago', 1_000)).toBe('half-written, long ago');
    expect(readdirSync(t.path)).toEqual([]);
  });

  it('install waits for a live holder, then installs', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: ['bridge', 'static'], native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    expect(await install(['--from', from, '--dest', dest, '--node', process.execPath, 'bridge'], quiet)).toBe(0);
    const holder = await liveHolder(dest);
    try {
      const second = install(['--from', from, '--dest', dest, '--node', process.execPath, 'static'], quiet);
      await sleep(200);
      expect(existsSync(join(dest, 'static'))).toBe(false); // still waiting
      rmSync(join(dest, LOCK_NAME)); // the holder finishes
      expect(await second).toBe(0);
    } finally {
      holder.kill('SIGKILL');
    }
    expect(Object.keys(readManifest(dest).files).sort()).toEqual(['bridge', 'koffi-AAAA1111.node', 'static']);
    expect(readdirSync(dest)).not.toContain(LOCK_NAME);
  });

  it('uninstall waits for a live holder too, and needs no lock where nothing was ever installed', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: ['bridge'], native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    expect(await install(['--from', from, '--dest', dest, '--node', process.execPath], quiet)).toBe(0);
    const holder = await liveHolder(dest);
    try {
      const removal = uninstall(['--dest', dest], quiet);
      await sleep(200);
      expect(readdirSync(dest)).toContain(MANIFEST_NAME);
      rmSync(join(dest, LOCK_NAME));
      expect(await removal).toBe(0);
    } finally {
      holder.kill('SIGKILL');
    }
    expect(readdirSync(dest)).toEqual([]);
    expect(await uninstall(['--dest', join(t.path, 'never')], quiet)).toBe(0);
    expect(existsSync(join(t.path, 'never'))).toBe(false);
  });
});

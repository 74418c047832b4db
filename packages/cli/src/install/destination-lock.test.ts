// install and uninstall take one flock on the destination directory, so two of them never interleave their
// read-plan-write of the manifest. The holder here is this test's own descriptor on the same directory, as another
// cni-ts process would hold it.
import { closeSync, existsSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { flock, LOCK } from '@cni-ts/netlink/sys';
import { describe, expect, it } from 'vitest';
import { withDestinationLock } from './destination-lock.ts';
import { run as install } from './install-command.ts';
import { MANIFEST_NAME, readManifest } from './manifest.ts';
import { fakeBundleDir, tempDir } from './testing.ts';
import { run as uninstall } from './uninstall-command.ts';

const quiet = { stdout: () => {}, stderr: () => {} };

function holdLock(dir: string): { release: () => void } {
  const fd = openSync(dir, 'r');
  flock(fd, LOCK.EX);
  return { release: () => closeSync(fd) };
}

describe('the destination lock', () => {
  it('gives up after its wait, naming the directory, without running the work', async () => {
    using t = tempDir();
    const holder = holdLock(t.path);
    try {
      let ran = false;
      await expect(withDestinationLock(t.path, () => (ran = true), 50)).rejects.toThrow(`another cni-ts install or uninstall is working in ${t.path}`);
      expect(ran).toBe(false);
    } finally {
      holder.release();
    }
  });

  it('install waits for the holder, then installs', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: ['bridge', 'static'], native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    expect(await install(['--from', from, '--dest', dest, '--node', process.execPath, 'bridge'], quiet)).toBe(0);
    const holder = holdLock(dest);
    const second = install(['--from', from, '--dest', dest, '--node', process.execPath, 'static'], quiet);
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(join(dest, 'static'))).toBe(false); // still waiting
    holder.release();
    expect(await second).toBe(0);
    expect(Object.keys(readManifest(dest).files).sort()).toEqual(['bridge', 'koffi-AAAA1111.node', 'static']);
  });

  it('uninstall waits for the holder too, and needs no lock where nothing was ever installed', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: ['bridge'], native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    expect(await install(['--from', from, '--dest', dest, '--node', process.execPath], quiet)).toBe(0);
    const holder = holdLock(dest);
    const removal = uninstall(['--dest', dest], quiet);
    await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(dest)).toContain(MANIFEST_NAME);
    holder.release();
    expect(await removal).toBe(0);
    expect(readdirSync(dest)).toEqual([]);
    expect(await uninstall(['--dest', join(t.path, 'never')], quiet)).toBe(0);
  });
});

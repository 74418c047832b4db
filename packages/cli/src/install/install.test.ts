import {
  chmodSync, closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as install } from './install-command.ts';
import { MANIFEST_NAME, readManifest } from './manifest.ts';
import { sha256 } from './source.ts';
import { fakeBundleDir, fakeSeaDir, tempDir } from './testing.ts';
import { run as uninstall } from './uninstall-command.ts';

const NODE = process.execPath;
const PLUGINS = ['bridge', 'dnsmasq-ipam', 'host-local', 'static'];

async function cli(cmd: typeof install, argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await cmd(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** Every name in dest with its content (files) or target (links): a snapshot to prove "nothing changed". */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).sort().map((n) => {
      const p = join(dir, n);
      return [n, lstatSync(p).isSymbolicLink() ? `-> ${readlinkSync(p)}` : readFileSync(p, 'utf8')];
    }),
  );
}

describe('cni-ts install', () => {
  it('installs a plugin\'s V8 code cache (<plugin>.v8cache) with it, as a support file it needs', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    writeFileSync(join(from, 'bridge.v8cache'), 'cache bytes');
    const dest = join(t.path, 'opt/cni/bin');
    expect(await cli(install, ['--from', from, '--dest', dest, '--node', NODE, 'bridge'])).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(dest).sort()).toEqual([MANIFEST_NAME, 'bridge', 'bridge.v8cache', 'koffi-AAAA1111.node']);
    expect(statSync(join(dest, 'bridge.v8cache')).mode & 0o7777).toBe(0o644);
    const manifest = readManifest(dest);
    expect(manifest.files['bridge']?.needs).toEqual(['koffi-AAAA1111.node', 'bridge.v8cache']);
    expect(manifest.files['bridge.v8cache']).toEqual({ role: 'support', sha256: sha256(Buffer.from('cache bytes')), needs: [] });
  });
  it('installs every plugin and the one native module they share, pointing the shebang at node', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'opt/cni/bin');
    const r = await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(dest).sort()).toEqual([MANIFEST_NAME, 'bridge', 'dnsmasq-ipam', 'host-local', 'koffi-AAAA1111.node', 'static']);
    for (const p of PLUGINS) {
      const installed = readFileSync(join(dest, p), 'utf8');
      expect(installed.split('\n')[0]).toBe(`#!${NODE}`);
      expect(installed.split('\n').slice(1)).toEqual(readFileSync(join(from, p), 'utf8').split('\n').slice(1));
      expect(statSync(join(dest, p)).mode & 0o7777).toBe(0o755);
      expect(r.stdout).toContain(`installed ${join(dest, p)}`);
    }
    expect(statSync(join(dest, 'koffi-AAAA1111.node')).mode & 0o7777).toBe(0o644);
    expect(r.stdout).toContain(`plugins run with ${NODE}`);
    const manifest = readManifest(dest);
    expect(manifest.files['bridge']).toEqual({ role: 'plugin', sha256: sha256(readFileSync(join(dest, 'bridge'))), needs: ['koffi-AAAA1111.node'] });
    expect(manifest.files['koffi-AAAA1111.node']).toEqual({ role: 'support', sha256: sha256(readFileSync(join(from, 'koffi-AAAA1111.node'))), needs: [] });
    expect(readdirSync(dest).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('installs only the named plugins and what they need', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    expect((await cli(install, ['--from', from, '--dest', dest, '--node', NODE, 'host-local'])).code).toBe(0);
    expect(readdirSync(dest).sort()).toEqual([MANIFEST_NAME, 'host-local', 'koffi-AAAA1111.node']);
  });

  it('rejects an unknown plugin name before writing anything', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    await expect(cli(install, ['--from', from, '--dest', dest, '--node', NODE, 'brigde'])).rejects.toThrow(
      /unknown plugin "brigde"; .* has: bridge, dnsmasq-ipam, host-local, static/,
    );
    expect(existsSync(join(dest, MANIFEST_NAME))).toBe(false);
  });

  it('reports a second identical install as unchanged', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    const r = await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^unchanged /gm)).toHaveLength(5);
  });

  it('refuses to overwrite a file it did not install, changing nothing, unless --force', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    fakeBundleDir(dest, { plugins: [], native: 'unrelated.node' });
    writeFileSync(join(dest, 'bridge'), 'the Go reference bridge', { mode: 0o755 });
    const before = snapshot(dest);
    const r = await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dest, 'bridge')} exists and cni-ts did not install it (use --force to overwrite it)`);
    expect(r.stdout).toBe('');
    expect(snapshot(dest)).toEqual(before); // not even the other plugins were written

    const forced = await cli(install, ['--from', from, '--dest', dest, '--node', NODE, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`replaced  ${join(dest, 'bridge')} (cni-ts did not install it)`);
    expect(readFileSync(join(dest, 'bridge'), 'utf8')).toMatch(/^#!/);
    expect(readFileSync(join(dest, 'unrelated.node'), 'utf8')).toBe('native unrelated.node'); // never touched
  });

  it('takes over a file that already holds exactly what it would write', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: ['static'], native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    fakeBundleDir(dest, { plugins: [], native: 'koffi-AAAA1111.node' }); // e.g. copied by hand earlier
    const r = await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`adopted   ${join(dest, 'koffi-AAAA1111.node')}`);
  });

  it('refuses to overwrite a plugin that was modified after it installed it', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    writeFileSync(join(dest, 'static'), 'hand-edited');
    const r = await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dest, 'static')} exists and it was modified after cni-ts installed it`);
  });

  it('updates to a new build by rename, and drops the native module nothing needs any more', async () => {
    using t = tempDir();
    const v1 = fakeBundleDir(join(t.path, 'v1'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const v2 = fakeBundleDir(join(t.path, 'v2'), { plugins: PLUGINS, native: 'koffi-BBBB2222.node', body: 'v2' });
    const dest = join(t.path, 'dest');
    await cli(install, ['--from', v1, '--dest', dest, '--node', NODE]);
    // A runtime that has the old executable open keeps reading the complete old file: the new one is renamed
    // over it (a new inode), never written in place.
    const fd = openSync(join(dest, 'bridge'), 'r');
    const oldIno = statSync(join(dest, 'bridge')).ino;
    try {
      const r = await cli(install, ['--from', v2, '--dest', dest, '--node', NODE]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`updated   ${join(dest, 'bridge')}`);
      expect(r.stdout).toContain(`installed ${join(dest, 'koffi-BBBB2222.node')}`);
      expect(r.stdout).toContain(`removed   ${join(dest, 'koffi-AAAA1111.node')} (no installed plugin needs it)`);
      expect(statSync(join(dest, 'bridge')).ino).not.toBe(oldIno);
      const buf = Buffer.alloc(4096);
      const n = readSync(fd, buf, 0, buf.length, 0);
      expect(buf.subarray(0, n).toString()).toContain('bridge v1');
    } finally {
      closeSync(fd);
    }
    expect(readdirSync(dest).sort()).toEqual([MANIFEST_NAME, 'bridge', 'dnsmasq-ipam', 'host-local', 'koffi-BBBB2222.node', 'static']);
  });

  it('keeps an old native module while a plugin installed earlier still needs it', async () => {
    using t = tempDir();
    const v1 = fakeBundleDir(join(t.path, 'v1'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const v2 = fakeBundleDir(join(t.path, 'v2'), { plugins: PLUGINS, native: 'koffi-BBBB2222.node', body: 'v2' });
    const dest = join(t.path, 'dest');
    await cli(install, ['--from', v1, '--dest', dest, '--node', NODE]);
    await cli(install, ['--from', v2, '--dest', dest, '--node', NODE, 'bridge']);
    expect(readdirSync(dest)).toEqual(expect.arrayContaining(['koffi-AAAA1111.node', 'koffi-BBBB2222.node']));
  });

  it('changes nothing with --dry-run', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    const r = await cli(install, ['--from', from, '--dest', dest, '--node', NODE, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`would be installed ${dest}/bridge`);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('installs a multi-call build as the binary plus one link per plugin', async () => {
    using t = tempDir();
    const from = fakeSeaDir(join(t.path, 'sea'), { plugins: PLUGINS });
    const dest = join(t.path, 'dest');
    const r = await cli(install, ['--from', from, '--dest', dest]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    for (const p of PLUGINS) expect(readlinkSync(join(dest, p))).toBe('cni-ts');
    expect(readFileSync(join(dest, 'cni-ts'), 'utf8')).toContain('fake multi-call v1');
    expect(r.stdout).not.toContain('plugins run with');
  });

  it('checks that --node is an absolute path to an executable', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: ['static'], native: 'koffi-AAAA1111.node' });
    const notExecutable = join(t.path, 'node');
    writeFileSync(notExecutable, '');
    chmodSync(notExecutable, 0o644);
    await expect(cli(install, ['--from', from, '--dest', join(t.path, 'd'), '--node', notExecutable])).rejects.toThrow(/is not an executable file/);
    await expect(cli(install, ['--from', from, '--dest', join(t.path, 'd'), '--node', 'node'])).rejects.toThrow(/must be an absolute path/);
  });
});

describe('cni-ts uninstall', () => {
  it('removes only what it installed, then the native module, then the manifest', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    await cli(install, ['--from', from, '--dest', dest, '--node', NODE]);
    writeFileSync(join(dest, 'portmap'), 'a Go plugin cni-ts knows nothing about');

    const some = await cli(uninstall, ['--dest', dest, 'bridge', 'static']);
    expect(some.code).toBe(0);
    expect(some.stdout).toBe(`removed   ${dest}/bridge\nremoved   ${dest}/static\n`);
    expect(readdirSync(dest).sort()).toEqual([MANIFEST_NAME, 'dnsmasq-ipam', 'host-local', 'koffi-AAAA1111.node', 'portmap']);

    const rest = await cli(uninstall, ['--dest', dest]);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toContain(`removed   ${dest}/koffi-AAAA1111.node (no installed plugin needs it)`);
    expect(readdirSync(dest)).toEqual(['portmap']);
  });

  it('refuses to remove a plugin that changed since it installed it, or one it never installed', async () => {
    using t = tempDir();
    const from = fakeBundleDir(join(t.path, 'bin'), { plugins: PLUGINS, native: 'koffi-AAAA1111.node' });
    const dest = join(t.path, 'dest');
    await cli(install, ['--from', from, '--dest', dest, '--node', NODE, 'bridge', 'static']);
    writeFileSync(join(dest, 'bridge'), 'replaced by the Go bridge');
    writeFileSync(join(dest, 'portmap'), 'Go portmap');
    const before = snapshot(dest);

    const r = await cli(uninstall, ['--dest', dest, 'bridge', 'portmap', 'static']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${dest}/bridge changed since cni-ts installed it (use --force to remove it anyway)`);
    expect(r.stderr).toContain(`${dest}/portmap was not installed by cni-ts (installed plugins: bridge, static)`);
    expect(snapshot(dest)).toEqual(before);

    expect((await cli(uninstall, ['--dest', dest, '--force', 'bridge'])).code).toBe(0);
    expect(existsSync(join(dest, 'bridge'))).toBe(false);
  });

  it('forgets a plugin someone already deleted', async () => {
    using t = tempDir();
    const from = fakeSeaDir(join(t.path, 'sea'), { plugins: PLUGINS });
    const dest = join(t.path, 'dest');
    await cli(install, ['--from', from, '--dest', dest]);
    rmSync(join(dest, 'static'));
    const r = await cli(uninstall, ['--dest', dest]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`forgot    ${dest}/static (already gone)`);
    expect(r.stdout).toContain(`removed   ${dest}/cni-ts (no installed plugin needs it)`);
    expect(readdirSync(dest)).toEqual([]);
  });

  it('reports a corrupt manifest instead of guessing', async () => {
    using t = tempDir();
    writeFileSync(join(t.path, MANIFEST_NAME), '{"tool":"cni-ts"');
    await expect(cli(uninstall, ['--dest', t.path])).rejects.toThrow(/is not valid JSON; refusing to guess/);
  });
});

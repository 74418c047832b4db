// Issue 10 item 4: the single executable (`pnpm build:sea` output: dist/sea, or CNI_TS_E2E_BIN when that points at
// one; built into a temp dir when neither exists) extracts its native module (koffi) to a cache that is root-owned
// and not writable by others, refuses a cache directory anyone else could write or own, and never loads a planted
// file it did not write: a group/world-writable or foreign-owned copy is replaced before it is loaded.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../harness/paths.ts';
import { runTag } from '../../harness/netns.ts';
import { tool } from '../../harness/proc.ts';

const NOBODY = 65534;
let sea = '';
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), `cni-ts-e2e-${runTag()}-sea-`));
  await chmod(dir, 0o755);
  const fromEnv = process.env.CNI_TS_E2E_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'cni-ts'))) sea = fromEnv;
  else if (existsSync(join(repoRoot, 'dist/sea/cni-ts'))) sea = join(repoRoot, 'dist/sea');
  else {
    sea = join(dir, 'sea');
    execFileSync(process.execPath, [join(repoRoot, 'scripts/build-sea.mjs'), '--out', sea], { stdio: 'ignore' });
  }
}, 180_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/**
 * A bridge DEL without a container namespace, through the bridge link of the single executable: the plugins load
 * their native module only in the verbs that talk to the kernel (VERSION does not), and this DEL opens a netlink
 * handle. It runs in a network namespace of its own (`unshare --net`), gone when it exits.
 */
const DEL_ENV = { CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'sea-native', CNI_IFNAME: 'eth0', CNI_PATH: '/nonexistent' };
const DEL_CMDLINE = Object.entries(DEL_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
async function bridgeDel(env: Record<string, string>) {
  return tool('unshare', ['--net', join(sea, 'bridge')], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...DEL_ENV, ...env }, input: '{"cniVersion":"1.0.0","name":"n","type":"bridge"}', allowFail: true });
}
/** What a run does to its native dir: the CNI error (if any) and the files there. */
const errorOf = (stdout: string) => (stdout.trim() === '' ? undefined : (JSON.parse(stdout) as { code: number; msg: string; details?: string }));
/** The whole text of a CNI error: where a message lands (msg or details) depends on where it was thrown. */
const errorText = (stdout: string) => { const e = errorOf(stdout); return e ? `${e.msg} ${e.details ?? ''}` : ''; };
const sha = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');

describe('the native-module cache of the single executable', () => {
  it('by default /var/lib/cni-ts/native: root-owned, nothing in it writable by group or others (private mount namespace)', async () => {
    // A tmpfs over /var/lib in a private mount namespace: the machine's own /var/lib is never written.
    const script = [
      'mount -t tmpfs -o mode=0755 cni-ts-test /var/lib',
      `echo '{"cniVersion":"1.0.0","name":"n","type":"bridge"}' | ${DEL_CMDLINE} unshare --net ${join(sea, 'bridge')} >/dev/null`,
      'stat -c "%u %a %n" /var/lib/cni-ts /var/lib/cni-ts/native /var/lib/cni-ts/native/*',
    ].join(' && ');
    const r = await tool('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
    const entries = r.stdout.trim().split('\n').map((l) => l.split(' '));
    expect(entries).toHaveLength(3);
    for (const [uid, mode, name] of entries) {
      expect(uid, name).toBe('0');
      expect(Number.parseInt(mode!, 8) & 0o022, `${name} mode ${mode}`).toBe(0);
    }
    expect(entries[2]![2]).toMatch(/^\/var\/lib\/cni-ts\/native\/koffi-[0-9a-f]{16}\.node$/);
  });

  it('refuses a directory others can write, one owned by another user, and a link to a world-writable one', async () => {
    const cases: Array<[string, () => Promise<string>, RegExp]> = [
      ['mode 0777', async () => { const d = join(dir, 'wide'); await mkdir(d); await chmod(d, 0o777); return d; }, /writable by group or others \(mode 777\)/],
      ['group-writable', async () => { const d = join(dir, 'group'); await mkdir(d); await chmod(d, 0o775); return d; }, /writable by group or others/],
      ['owned by nobody', async () => { const d = join(dir, 'foreign'); await mkdir(d); await chown(d, NOBODY, NOBODY); return d; }, /owned by uid 65534/],
      ['under a parent others can write (no sticky bit)', async () => { const p = join(dir, 'open-parent'); await mkdir(p); await chmod(p, 0o777); const d = join(p, 'native'); await mkdir(d); return d; }, /writable by group or others/],
      // A world-writable sticky directory like /tmp, but the test's own: /tmp itself changes under parallel tests.
      ['a link to a /tmp-like directory', async () => { const t = join(dir, 'tmp-like'); await mkdir(t); await chmod(t, 0o1777); const l = join(dir, 'to-tmp'); await symlink(t, l); return l; }, /writable by group or others/],
    ];
    for (const [what, make, why] of cases) {
      const native = await make();
      const before = await readdir(native);
      const r = await bridgeDel({ CNI_TS_NATIVE_DIR: native });
      expect(r.code, what).toBe(1);
      expect(errorOf(r.stdout), what).toMatchObject({ code: 999 });
      expect(errorText(r.stdout), what).toMatch(why);
      expect(await readdir(native), what).toEqual(before); // nothing was written there
    }
  });

  it('replaces a planted copy that is writable by others or foreign-owned instead of loading it', async () => {
    const clean = join(dir, 'clean');
    expect((await bridgeDel({ CNI_TS_NATIVE_DIR: clean })).code).toBe(0); // nothing to delete; koffi loaded
    const [name] = await readdir(clean);
    const good = await sha(join(clean, name!));
    for (const [what, plant] of [
      ['world-writable', async (f: string) => { await writeFile(f, 'not a shared object'); await chmod(f, 0o666); }],
      ['owned by nobody', async (f: string) => { await writeFile(f, 'not a shared object'); await chmod(f, 0o644); await chown(f, NOBODY, NOBODY); }],
    ] as const) {
      const native = join(dir, `planted-${what.replace(/\W/g, '')}`);
      await mkdir(native);
      const file = join(native, name!);
      await plant(file);
      const r = await bridgeDel({ CNI_TS_NATIVE_DIR: native });
      expect(errorOf(r.stdout)?.msg ?? '', what).not.toMatch(/failed to start|ELF|invalid/i);
      const st = await stat(file);
      expect({ uid: st.uid, mode: (st.mode & 0o777).toString(8), sha: await sha(file) }, what).toEqual({ uid: 0, mode: '644', sha: good });
    }
  });
});

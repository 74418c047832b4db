// Acceptance item 3: the single executable for hosts without node. Builds it (scripts/build-sea.mjs, ~4 s,
// ~630 MB for postject) into a temp dir, installs it with its own `cni-ts install`, and runs the plugins through
// their names with no node on PATH: VERSION for all four, ADD/DEL of host-local and static.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../src/install/testing.ts';
import { cniExec, expectVersionAnswer, hostLocalConf, staticConf } from './cni-exec.ts';
import { exec, repoRoot, run } from './process.ts';

const PLUGINS = ['bridge', 'dnsmasq-ipam', 'host-local', 'static'];
const SEA_MAGIC = 0x143da20; // node_sea.cc kMagic, followed by the blob's flags
const SEA_FLAG_USE_CODE_CACHE = 1 << 2;

let t: TempDir;
let sea: string; // the build output
let dest: string; // where the single executable installed itself
let nativeDir: string;
let installOutput: string;

beforeAll(() => {
  t = tempDir('cni-ts-sea-test-');
  sea = join(t.path, 'sea');
  run(process.execPath, [join(repoRoot, 'scripts/build-sea.mjs'), '--out', sea], { cwd: repoRoot });
  dest = join(t.path, 'opt/cni/bin');
  nativeDir = join(t.path, 'native');
  // No node anywhere: the executable installs itself and a link per plugin.
  installOutput = run(join(sea, 'cni-ts'), ['install', '--dest', dest], { cwd: '/', env: { PATH: '/nonexistent' } });
}, 120_000);

afterAll(() => t?.[Symbol.dispose]());

/**
 * A bridge DEL without a container namespace: the plugins load the native module only in verbs that talk to the
 * kernel (VERSION does not), and this one opens a netlink handle. It runs in a network namespace of its own
 * (`unshare --net`, gone when it exits), with no node on PATH.
 */
function bridgeDel(extraEnv: Record<string, string>) {
  const env = { PATH: '/nonexistent', CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'packaging-test-c1', CNI_IFNAME: 'eth0', CNI_PATH: '/nonexistent', ...extraEnv };
  const r = exec('/usr/bin/unshare', ['--net', join(dest, 'bridge')], { cwd: '/', env, input: JSON.stringify({ cniVersion: '1.0.0', name: 'n', type: 'bridge' }) });
  return { ...r, json: r.stdout.trim() === '' ? undefined : (JSON.parse(r.stdout) as { code: number; msg: string; details?: string }) };
}

const env = () => ({ CNI_TS_NATIVE_DIR: nativeDir });

describe('pnpm build:sea output', () => {
  it('is one executable and a symbolic link to it per plugin', () => {
    expect(readdirSync(sea).sort()).toEqual(['bridge', 'cni-ts', 'dnsmasq-ipam', 'host-local', 'static']);
    for (const p of PLUGINS) expect(readlinkSync(join(sea, p))).toBe('cni-ts');
    expect(statSync(join(sea, 'cni-ts')).mode & 0o111).toBe(0o111);
  });

  it('embeds its program with the V8 code cache', () => {
    // The SEA blob (node_sea.cc): u32 magic, u32 flags, then the main script's path as u64 length + bytes.
    const binary = readFileSync(join(sea, 'cni-ts'));
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(SEA_MAGIC);
    const blobs: number[] = [];
    for (let i = binary.indexOf(magic); i !== -1; i = binary.indexOf(magic, i + 1)) {
      const pathLength = Number(binary.readBigUInt64LE(i + 8));
      if (pathLength > 0 && pathLength < 4096 && binary.toString('utf8', i + 16, i + 16 + pathLength).endsWith('/cni-ts.cjs')) {
        blobs.push(binary.readUInt32LE(i + 4)); // other hits are node's own code comparing against the constant
      }
    }
    expect(blobs).toHaveLength(1);
    expect(blobs[0]! & SEA_FLAG_USE_CODE_CACHE).toBe(SEA_FLAG_USE_CODE_CACHE);
  });
});

describe('the installed single executable, started with no node on PATH', () => {
  it('installed itself and one link per plugin', () => {
    for (const p of PLUGINS) {
      expect(readlinkSync(join(dest, p))).toBe('cni-ts');
      expect(installOutput).toContain(`installed ${join(dest, p)}`);
    }
    expect(installOutput).toContain(`installed ${join(dest, 'cni-ts')}`);
  });

  it.each(PLUGINS)('%s answers VERSION, and the code cache is accepted', (p) => {
    const r = cniExec(join(dest, p), 'VERSION', { cniVersion: '1.0.0' }, env());
    expect(expectVersionAnswer(r).supportedVersions).toContain('1.0.0');
    expect(r.stderr).not.toContain('Code cache data rejected');
  });

  it('host-local allocates and releases an address', () => {
    const dataDir = join(t.path, 'host-local-data');
    const add = cniExec(join(dest, 'host-local'), 'ADD', hostLocalConf(dataDir), env());
    expect(add.code, add.stderr + add.stdout).toBe(0);
    expect(add.json).toMatchObject({ cniVersion: '1.0.0', ips: [{ address: '10.77.0.2/24', gateway: '10.77.0.1' }] });
    expect(readdirSync(join(dataDir, 'packaging-net'))).toContain('10.77.0.2');
    const del = cniExec(join(dest, 'host-local'), 'DEL', hostLocalConf(dataDir), env());
    expect(del.code, del.stderr + del.stdout).toBe(0);
    expect(readdirSync(join(dataDir, 'packaging-net'))).not.toContain('10.77.0.2');
  });

  it('static answers ADD and DEL', () => {
    const add = cniExec(join(dest, 'static'), 'ADD', staticConf(), env());
    expect(add.code, add.stderr + add.stdout).toBe(0);
    expect(add.json).toMatchObject({ ips: [{ address: '10.78.0.5/24', gateway: '10.78.0.1' }] });
    expect(cniExec(join(dest, 'static'), 'DEL', staticConf(), env())).toMatchObject({ code: 0, stdout: '' });
  });

  it('extracts koffi.node once into the native directory, root-owned and not writable by others', () => {
    const nativeDir = join(t.path, 'native-once', 'native'); // created on first use, parents too
    const env = () => ({ CNI_TS_NATIVE_DIR: nativeDir });
    expect(bridgeDel(env()).code).toBe(0);
    const [native, ...others] = readdirSync(nativeDir);
    expect(others).toEqual([]);
    expect(native).toMatch(/^koffi-[0-9a-f]{16}\.node$/);
    const st = statSync(join(nativeDir, native!));
    expect({ uid: st.uid, mode: st.mode & 0o777 }).toEqual({ uid: process.geteuid!(), mode: 0o644 });
    expect(statSync(nativeDir).mode & 0o022).toBe(0);
    const before = st.mtimeMs;
    expect(bridgeDel(env()).code).toBe(0);
    expect(statSync(join(nativeDir, native!)).mtimeMs).toBe(before); // loaded, not rewritten
  });

  it('refuses a native directory others can write, with a CNI error naming it', () => {
    const unsafe = join(t.path, 'unsafe-native');
    mkdirSync(unsafe);
    chmodSync(unsafe, 0o777);
    const r = bridgeDel({ CNI_TS_NATIVE_DIR: unsafe });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ code: 999 });
    expect(`${r.json?.msg} ${r.json?.details ?? ''}`).toContain(`${unsafe} is writable by group or others (mode 777)`);
    expect(lstatSync(unsafe).isDirectory() && readdirSync(unsafe)).toEqual([]);
  });

  it('runs the cni-ts tool under its own name', () => {
    const r = exec(join(dest, 'cni-ts'), ['--help'], { env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^cni-ts \d+\.\d+\.\d+\nusage: cni-ts <command>/);
    expect(r.stderr).toContain('validate');
  });
});

// Acceptance item 1: `pnpm build` writes dist/bin/<plugin> plus the one native module they share, and each
// plugin runs from any directory without node_modules or sources, started with a PATH that holds no node,
// once `cni-ts install` has pointed it at node by absolute path. Runs the artefacts of the last `pnpm build`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../src/install/testing.ts';
import { cniExec, expectVersionAnswer, hostLocalConf, staticConf } from './cni-exec.ts';
import { exec, repoRoot, run } from './process.ts';

const PLUGINS = ['bridge', 'dnsmasq-ipam', 'host-local', 'static'];
const distBin = join(repoRoot, 'dist/bin');

let t: TempDir;
let dest: string;
let installOutput: string;

beforeAll(() => {
  if (!existsSync(join(distBin, 'bridge')) || !existsSync(join(repoRoot, 'dist/cni-ts'))) {
    throw new Error('dist/bin and dist/cni-ts are missing: run `pnpm build` at the repository root first');
  }
  // Copies of the build outside the repository: no node_modules and no sources anywhere above them.
  t = tempDir('cni-ts-dist-bin-');
  cpSync(join(repoRoot, 'dist/bin'), join(t.path, 'dist/bin'), { recursive: true });
  cpSync(join(repoRoot, 'dist/cni-ts'), join(t.path, 'dist/cni-ts'));
  dest = join(t.path, 'opt/cni/bin');
  installOutput = run(process.execPath, [join(t.path, 'dist/cni-ts'), 'install', '--dest', dest], { cwd: '/' });
});

afterAll(() => t?.[Symbol.dispose]());

describe('dist/bin', () => {
  it('holds the four plugins (each with its optional V8 code cache) and exactly one native module, the one they load', () => {
    const files = readdirSync(distBin).sort();
    const natives = files.filter((f) => f.endsWith('.node'));
    const caches = files.filter((f) => f.endsWith('.v8cache'));
    expect(files.filter((f) => !f.endsWith('.node') && !f.endsWith('.v8cache'))).toEqual(PLUGINS);
    for (const c of caches) expect(PLUGINS).toContain(c.slice(0, -'.v8cache'.length));
    expect(natives).toHaveLength(1);
    expect(natives[0]).toMatch(/^koffi-[A-Z0-9]+\.node$/);
    const loaders = PLUGINS.filter((p) => readFileSync(join(distBin, p), 'latin1').includes(`require("./${natives[0]}")`));
    expect(loaders).toContain('bridge');
    for (const p of PLUGINS) {
      for (const m of readFileSync(join(distBin, p), 'latin1').matchAll(/require\("\.\/([\w.-]+\.node)"\)/g)) expect(m[1]).toBe(natives[0]);
    }
  });

  it('keeps the cni-ts tool out of the directory that gets installed', () => {
    expect(existsSync(join(distBin, 'cni-ts'))).toBe(false);
  });

  it('installs run at the same time on one destination take turns: every plugin lands in the manifest', async () => {
    const shared = join(t.path, 'concurrent/bin');
    const cniTs = join(t.path, 'dist/cni-ts');
    const exits = await Promise.all(PLUGINS.map((p) => new Promise<number | null>((resolve) => {
      spawn(process.execPath, [cniTs, 'install', '--dest', shared, p], { stdio: 'ignore', cwd: '/' }).once('exit', resolve);
    })));
    expect(exits).toEqual(PLUGINS.map(() => 0));
    const manifest = JSON.parse(readFileSync(join(shared, '.cni-ts-manifest.json'), 'utf8')) as { files: Record<string, unknown> };
    for (const p of PLUGINS) expect(Object.keys(manifest.files)).toContain(p);
    expect(readdirSync(shared)).not.toContain('.cni-ts-install.lock');
  });

  it('is installed by dist/cni-ts with the absolute path of the node that ran it', () => {
    expect(installOutput).toContain(`plugins run with ${process.execPath}`);
    for (const p of PLUGINS) {
      expect(installOutput).toContain(`installed ${join(dest, p)}`);
      expect(readFileSync(join(dest, p), 'utf8').split('\n')[0]).toBe(`#!${process.execPath}`);
    }
  });
});

describe('installed plugins, started like a runtime does (env -i PATH=/nonexistent, cwd /)', () => {
  it.each(PLUGINS)('%s answers VERSION', (p) => {
    expect(expectVersionAnswer(cniExec(join(dest, p), 'VERSION', { cniVersion: '1.0.0' })).supportedVersions).toContain('1.0.0');
  });

  it('the uninstalled bundle cannot start there: its `#!/usr/bin/env node` needs node on PATH', () => {
    const r = cniExec(join(t.path, 'dist/bin/static'), 'VERSION', { cniVersion: '1.0.0' });
    expect(r.code).toBe(127);
  });

  it('host-local allocates and releases an address', () => {
    const dataDir = join(t.path, 'host-local-data');
    const add = cniExec(join(dest, 'host-local'), 'ADD', hostLocalConf(dataDir));
    expect(add.code, add.stderr + add.stdout).toBe(0);
    expect(add.json).toMatchObject({ cniVersion: '1.0.0', ips: [{ address: '10.77.0.2/24', gateway: '10.77.0.1' }] });
    expect(readdirSync(join(dataDir, 'packaging-net'))).toContain('10.77.0.2');
    const del = cniExec(join(dest, 'host-local'), 'DEL', hostLocalConf(dataDir));
    expect(del.code, del.stderr + del.stdout).toBe(0);
    expect(readdirSync(join(dataDir, 'packaging-net'))).not.toContain('10.77.0.2');
  });

  it('static returns its configured address', () => {
    const add = cniExec(join(dest, 'static'), 'ADD', staticConf());
    expect(add.code, add.stderr + add.stdout).toBe(0);
    expect(add.json).toMatchObject({ ips: [{ address: '10.78.0.5/24', gateway: '10.78.0.1' }] });
  });

  it('bridge loads the native module from its own directory (a bad config is refused after start-up)', () => {
    const r = cniExec(join(dest, 'bridge'), 'ADD', { cniVersion: '1.0.0', name: 'n', type: 'bridge', mtu: 'big' });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ code: 7 });
  });
});

describe('dist/cni-ts validate', () => {
  it('reports every problem of every cni-ts plugin in a conflist with its path, and exits 1', () => {
    const file = join(t.path, '10-net.conflist');
    writeFileSync(file, JSON.stringify({
      cniVersion: '1.0.0',
      name: 'net',
      plugins: [
        { type: 'bridge', mtu: 'big', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/33' }]] } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    }));
    const r = exec(process.execPath, [join(t.path, 'dist/cni-ts'), 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${file}: plugins[0].mtu: expected number, got string\n` +
        `${file}: plugins[0].ipam.ranges[0][0].subnet: invalid CIDR address: "10.1.0.0/33"\n` +
        `${file}: 2 problems; not cni-ts plugins, not checked: portmap\n`,
    );
  });
});

// Acceptance item 4: the npm packages work for a consumer outside the workspace, without TypeScript sources.
// Packs every publishable package with `pnpm pack` (which runs scripts/build-package.mjs), checks what the
// tarballs hold, installs them into a temp project under the system temp dir, and builds and runs a small custom
// IPAM plugin there on @cni-ts/skel and @cni-ts/ipam-core, compiled by tsc against the published .d.ts files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from '../../src/install/testing.ts';
import { exec, repoRoot, run } from './process.ts';

const PACKAGES = ['packages/skel', 'packages/netlink', 'packages/ipam-core', 'plugins/bridge', 'plugins/host-local', 'plugins/static', 'plugins/dnsmasq-ipam'];
const PLUGINS = PACKAGES.filter((p) => p.startsWith('plugins/')).map((p) => p.slice('plugins/'.length));

let work: TempDir;
const tarballs = new Map<string, string>(); // package name → tarball path

interface PackedManifest {
  name: string;
  dependencies?: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
  types?: string;
  bin?: Record<string, string>;
}

function listTarball(tgz: string): string[] {
  return run('tar', ['-tzf', tgz]).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}
function manifestOf(tgz: string): PackedManifest {
  return JSON.parse(run('tar', ['-xzOf', tgz, 'package/package.json'])) as PackedManifest;
}

beforeAll(() => {
  work = tempDir('cni-ts-pack-');
  const out = join(work.path, 'tarballs');
  // In dependency order: a package's publish build types its @cni-ts imports against the dependency's output.
  for (const dir of PACKAGES) {
    const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { name: string; version: string };
    run('pnpm', ['pack', '--pack-destination', out], { cwd: join(repoRoot, dir) });
    tarballs.set(pkg.name, join(out, `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`));
  }
}, 300_000);

afterAll(() => work?.[Symbol.dispose]());

describe('packed tarballs', () => {
  it.each(PACKAGES)('%s holds compiled JS, .d.ts, a README and every file its manifest points at, and no sources', (dir) => {
    const name = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')).name as string;
    const tgz = tarballs.get(name)!;
    const files = listTarball(tgz);
    const manifest = manifestOf(tgz);
    expect(files).toContain('README.md');
    expect(files.filter((f) => f.startsWith('src/') || /\.test\.|\.tsbuildinfo$|^\.tsconfig/.test(f))).toEqual([]);
    expect(JSON.stringify(manifest.dependencies ?? {})).not.toContain('workspace:');
    const targets = Object.values(manifest.exports).flatMap((t) => (typeof t === 'string' ? [t] : [t.types, t.default]));
    for (const target of [...targets, ...(manifest.types ? [manifest.types] : []), ...Object.values(manifest.bin ?? {})]) {
      expect(files, `${name}: ${target}`).toContain(target.replace(/^\.\//, ''));
      expect(target.endsWith('.ts') && !target.endsWith('.d.ts'), `${name}: ${target} is TypeScript source`).toBe(false);
    }
  });

  it.each(PLUGINS)('the %s tarball carries its executable, the shared native module and its JSON Schema', (plugin) => {
    const tgz = tarballs.get(`@cni-ts/${plugin}`)!;
    const files = listTarball(tgz);
    expect(manifestOf(tgz).bin).toEqual({ [plugin]: `./dist/${plugin}` });
    expect(files).toContain('dist/schema.json');
    const script = run('tar', ['-xzOf', tgz, `package/dist/${plugin}`]);
    for (const m of script.matchAll(/require\("\.\/([\w.-]+\.node)"\)/g)) expect(files).toContain(`dist/${m[1]}`);
  });
});

describe('a consumer project outside the workspace', () => {
  let project: string;

  beforeAll(() => {
    project = join(work.path, 'fixed-ipam');
    mkdirSync(join(project, 'src'), { recursive: true });
    const file = (name: string) => `file:${tarballs.get(name)!}`;
    writeFileSync(join(project, 'package.json'), JSON.stringify({
      name: 'fixed-ipam',
      version: '1.0.0',
      private: true,
      type: 'module',
      dependencies: { '@cni-ts/skel': file('@cni-ts/skel'), '@cni-ts/ipam-core': file('@cni-ts/ipam-core'), zod: '4.6.7' },
      devDependencies: { '@types/node': '20.19.43' },
    }));
    // ipam-core depends on @cni-ts/skel@0.1.0, which is not on the registry: point it at the tarball too.
    writeFileSync(join(project, 'pnpm-workspace.yaml'), `overrides:\n  "@cni-ts/skel": "${file('@cni-ts/skel')}"\n`);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', outDir: 'dist', rootDir: 'src', types: ['node'] },
      include: ['src'],
    }));
    writeFileSync(join(project, 'src/main.ts'), FIXED_IPAM);
    // zod, ipaddr.js and @types/node come from the local pnpm store: no network needed.
    run('pnpm', ['install', '--offline'], { cwd: project });
    run(join(repoRoot, 'node_modules/.bin/tsc'), ['-p', project], { cwd: project });
  }, 120_000);

  const conf = (ipam: object) => JSON.stringify({ cniVersion: '1.0.0', name: 'net1', type: 'fixed-ipam', ipam: { type: 'fixed-ipam', ...ipam } });
  const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: 'c1', CNI_NETNS: '/var/run/netns/c1', CNI_IFNAME: 'eth0', CNI_PATH: '/nonexistent' });
  const plugin = (command: string, stdin: string) =>
    exec(process.execPath, [join(project, 'dist/main.js')], { cwd: '/', env: env(command), input: stdin });

  it('compiles to plain JavaScript that imports only the published packages', () => {
    const js = readFileSync(join(project, 'dist/main.js'), 'utf8');
    expect(js).toContain("from '@cni-ts/skel'");
    expect(js).toContain("from '@cni-ts/ipam-core'");
    expect(resolve(project, 'node_modules/@cni-ts/skel')).not.toContain(repoRoot);
  });

  it('answers ADD with a valid result, DEL and VERSION', () => {
    const add = plugin('ADD', conf({ address: '10.9.0.5/24', gateway: '10.9.0.1' }));
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toEqual({
      cniVersion: '1.0.0',
      ips: [{ address: '10.9.0.5/24', gateway: '10.9.0.1' }],
      routes: [{ dst: '10.9.0.0/24' }],
      dns: {},
    });
    expect(plugin('DEL', conf({ address: '10.9.0.5/24' }))).toMatchObject({ code: 0, stdout: '' });
    const version = plugin('VERSION', conf({ address: '10.9.0.5/24' }));
    expect(JSON.parse(version.stdout)).toMatchObject({ supportedVersions: expect.arrayContaining(['0.4.0', '1.0.0', '1.1.0']) });
  });

  it('reports a bad config as CNI error 7 naming the field', () => {
    const bad = plugin('ADD', conf({ address: 'not-an-address' }));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ code: 7, msg: expect.stringContaining('ipam.address') });
  });
});

// The custom plugin: one fixed address per network, as a user of the published packages would write it.
const FIXED_IPAM = `
import { definePlugin, PluginConf, runPlugin } from '@cni-ts/skel';
import { buildIpamResult, formatCidr, networkAddress, parseCidr } from '@cni-ts/ipam-core';
import * as z from 'zod/mini';

const FixedConf = z.extend(PluginConf, {
  ipam: z.looseObject({
    type: z.string(),
    address: z.string().check(z.refine((s) => parseCidr(s) !== undefined, 'must be an address with a prefix, e.g. 10.0.0.5/24')),
    gateway: z.optional(z.string()),
  }),
});

const plugin = definePlugin({
  name: 'fixed-ipam',
  version: '1.0.0',
  config: FixedConf,
  async add({ conf }) {
    const cidr = parseCidr(conf.ipam.address)!;
    const subnet = formatCidr({ ...cidr, ip: networkAddress(cidr) });
    const ip = conf.ipam.gateway === undefined ? { address: conf.ipam.address } : { address: conf.ipam.address, gateway: conf.ipam.gateway };
    return buildIpamResult({ ips: [ip], routes: [{ dst: subnet }] });
  },
  async del() {},
});

void runPlugin(plugin).then((code) => { process.exitCode = code; });
`;

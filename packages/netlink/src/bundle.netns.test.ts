// Item 5: an esbuild bundle of a script using the package runs from an empty directory with no node_modules.
// The bundle is built with the plugin settings scripts/bundle.mjs uses (scripts/esbuild-options.mjs: CJS, node20,
// koffi aliased to the static shim, .node files copied beside the bundle).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, expect, test } from 'vitest';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';
import { ipJson, tempNetns, type TempNetns } from './testing/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

test('the bundled artefact runs from an empty directory without node_modules', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nl-bundle-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  await build({
    ...pluginBundleOptions(),
    entryPoints: { main: join(here, '__fixtures__/bundle-entry.ts') },
    outdir: dir,
    logLevel: 'silent',
    banner: { js: '#!/usr/bin/env node' },
  });
  const files = readdirSync(dir).sort();
  expect(files).toHaveLength(2);
  expect(files[0]).toMatch(/^koffi-[A-Z0-9]+\.node$/);
  expect(files[1]).toBe('main.js');
  // Nothing to resolve packages from: not in the directory, nor above it.
  for (let d = dir; d !== '/'; d = dirname(d)) expect(existsSync(join(d, 'node_modules'))).toBe(false);
  const resolvable = spawnSync(process.execPath, ['-e', "require.resolve('koffi')"], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
  expect(resolvable.status).not.toBe(0);

  const host: TempNetns = await tempNetns('nlb');
  cleanups.push(() => host.remove());
  const ctr: TempNetns = await tempNetns('nlb');
  cleanups.push(() => ctr.remove());
  const out = execFileSync(process.execPath, [join(dir, 'main.js'), host.path, ctr.path], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' }, // no NODE_PATH, NODE_OPTIONS or CA bundle
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual({
    hostLinks: ['lo', 'veth-b'],
    ctrLinks: ['eth0', 'lo'],
    peerIndex: true,
    addresses: ['10.77.0.2/24'],
    ctrTtl: '33',
    asyncTtlMatchesHost: true,
    threadNamespaces: 1,
    udpFd: true,
  });
  expect(ipJson<Array<{ ifname: string }>>(['-n', ctr.name, 'link', 'show', 'eth0'])[0]?.ifname).toBe('eth0');
});

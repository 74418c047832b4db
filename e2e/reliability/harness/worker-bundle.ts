// Builds the in-process worker: one CommonJS bundle holding skel's dispatcher, the four plugin definitions and
// worker-main.ts, built with the plugins' own esbuild settings (scripts/esbuild-options.mjs: koffi aliased to its
// static shim). The entry is generated, like the single executable's (scripts/build-sea.mjs): plugin sources are
// bundled, never imported by the tests. Built once per test process into a temp dir carrying the run's tag (the global setup sweeps it).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';
import { repoRoot } from '../../harness/paths.ts';

/** Each plugin definition: the source file and the expression that yields it from that module. */
const definitions: Record<string, { file: string; expr: string }> = {
  bridge: { file: 'plugins/bridge/src/plugin.ts', expr: 'm.bridgePlugin' },
  'host-local': { file: 'plugins/host-local/src/plugin.ts', expr: 'm.hostLocal' },
  static: { file: 'plugins/static/src/plugin.ts', expr: 'm.staticIpam' },
  'dnsmasq-ipam': { file: 'plugins/dnsmasq-ipam/src/plugin.ts', expr: 'm.createPlugin()' },
};

let built: Promise<string> | undefined;

/** The path of the worker bundle (built on first call). */
export function workerBundle(tag: string): Promise<string> {
  built ??= build(tag);
  return built;
}

async function build(tag: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `cni-ts-e2e-${tag}-worker-`));
  const entry = [
    `const { serve } = require(${JSON.stringify(join(repoRoot, 'e2e/reliability/harness/worker-main.ts'))});`,
    `const { openHandle } = require(${JSON.stringify(join(repoRoot, 'packages/netlink/src/index.ts'))});`,
    'async function listLinks(netns) {',
    '  const h = await openHandle(netns === undefined ? {} : { netns });',
    '  try { return (await h.link.list()).map((l) => ({ name: l.name, kind: l.kind })); } finally { h.close(); }',
    '}',
    'serve({',
    ...Object.entries(definitions).map(([name, d]) => `  ${JSON.stringify(name)}: ((m) => ${d.expr})(require(${JSON.stringify(join(repoRoot, d.file))})),`),
    '}, { listLinks });',
  ].join('\n');
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    ...pluginBundleOptions({ version: '0.0.0-fuzz' }),
    stdin: { contents: entry, resolveDir: join(repoRoot, 'e2e'), sourcefile: 'worker-entry.cjs', loader: 'js' },
    outfile: join(dir, 'worker.cjs'),
    minify: false, // a crash reply carries the worker's stack, which should name the real functions
  });
  writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  return join(dir, 'worker.cjs');
}

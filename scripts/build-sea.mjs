#!/usr/bin/env node
// `pnpm build:sea`: one Node single executable application (SEA) for hosts without node, in dist/sea/:
//   cni-ts                      the multi-call binary: node + every plugin + the cni-ts tool, koffi.node embedded
//   bridge, host-local, ...     symbolic links to it; the name it is started by picks the program
// Steps and costs are in /work/shared/design/netlink-transport.md, sections 4 and 7 (postject: ~3 s, ~630 MB RSS).
// Usage: node scripts/build-sea.mjs [--out DIR] [--node PATH]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { pluginBundleOptions, repoRoot as root } from './esbuild-options.mjs';
import { embedTable } from './same-build.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' }, node: { type: 'string' } } });
const out = resolve(values.out ?? join(root, 'dist/sea'));
const node = values.node ?? process.execPath; // the SEA is this node binary plus the injected blob
const arch = process.env.CNI_TS_ARCH ?? process.arch;
if (arch !== process.arch) throw new Error(`build-sea: the code cache is specific to the node that builds it; build on ${arch}`);

const plugins = readdirSync(join(root, 'plugins')).filter((p) => existsSync(join(root, 'plugins', p, 'src/main.ts'))).sort();
const version = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).version;
// The plugins' own esbuild settings (scripts/esbuild-options.mjs); only koffi's loading differs (below).
const common = pluginBundleOptions({ version, arch });

// koffi's prebuilt binary for this arch (glibc: the node we embed is a glibc build), keyed by its content hash.
const netlinkRequire = createRequire(join(root, 'packages/netlink/package.json'));
const koffiNode = netlinkRequire.resolve(`@koromix/koffi-linux-${arch}/linux_${arch}/koffi.node`);
const koffiKey = `koffi-${createHash('sha256').update(readFileSync(koffiNode)).digest('hex').slice(0, 16)}.node`;

// The multi-call entry. Each program is required lazily (esbuild wraps required ESM modules in lazy
// initialisers), so a run initialises only the program it was started as. A failure while loading a plugin
// (say, an untrusted native directory) is still reported as a CNI error on stdout, as the runtime expects.
const programs = Object.fromEntries(plugins.map((p) => [p, join(root, 'plugins', p, 'src/main.ts')]));
// A plugin that delegates (bridge) runs the delegate in-process when the file on CNI_PATH is this very executable
// (a link to it): the same code, as with the plain bundles' build marker (scripts/same-build.mjs, skel's embedPlugins).
const embedded = Object.fromEntries(plugins.map((p) => [p, embedTable(root, p)]).filter(([, t]) => t.length > 0));
const embedding = Object.entries(embedded).map(([p, table]) => `${JSON.stringify(p)}: () => require(${JSON.stringify(join(root, 'packages/skel/src/index.ts'))}).embedPlugins({
  buildId: 'sea',
  plugins: { ${table.map((e) => `${JSON.stringify(e.type)}: () => { const m = require(${JSON.stringify(e.file)}); return ${e.pick}; }`).join(', ')} },
  isSameBuild: (path) => { const { realpathSync } = require('node:fs'); try { return realpathSync(path) === realpathSync(process.execPath); } catch { return false; } },
})`).join(',\n  ');
const entry = `
const name = require('node:path').basename(process.argv0);
const programs = { ${plugins.map((p) => `${JSON.stringify(p)}: () => require(${JSON.stringify(programs[p])})`).join(', ')} };
const embeds = { ${embedding} };
const program = Object.prototype.hasOwnProperty.call(programs, name) ? programs[name] : undefined;
if (program !== undefined && Object.prototype.hasOwnProperty.call(embeds, name)) embeds[name]();
if (program === undefined) {
  require(${JSON.stringify(join(root, 'packages/cli/src/main.ts'))});
} else {
  try {
    program();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    process.stdout.write(JSON.stringify({ cniVersion: '1.1.0', code: 999, msg: 'failed to start ' + name, details: msg }) + '\\n');
    process.exitCode = 1;
  }
}
`;

// Node 20 runs a SEA's main script without an ESM loader, so a dynamic `import()` left in the bundle fails at run
// time ("A dynamic import callback was not specified"). Bundled modules are already turned into requires by esbuild;
// this turns the remaining ones, of node's builtins (skel loads node:child_process lazily), into requires too.
const builtinImportsAsRequire = {
  name: 'builtin-dynamic-import-as-require',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'sea-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'sea-builtin' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

const work = mkdtempSync(join(tmpdir(), 'cni-ts-sea-'));
try {
  const script = join(work, 'cni-ts.cjs');
  await build({
    ...common,
    stdin: { contents: entry, resolveDir: root, sourcefile: 'sea-entry.cjs', loader: 'js' },
    outfile: script,
    // koffi.node is a SEA asset here, not a file beside the bundle: koffi is aliased to the loader that reads it.
    alias: { koffi: join(root, 'packages/cli/src/sea/koffi-sea.cjs') },
    plugins: [builtinImportsAsRequire],
    define: {
      ...common.define,
      __KOFFI_ASSET__: JSON.stringify(koffiKey),
      __CNI_TS_SEA_PLUGINS__: JSON.stringify(plugins),
    },
  });

  const leftover = readFileSync(script, 'utf8').match(/\bimport\((["'`][^"'`]*["'`])?/);
  if (leftover) throw new Error(`build-sea: the bundle still has a dynamic import (${leftover[0]}...), which a Node 20 SEA cannot run`);

  const config = join(work, 'sea-config.json');
  const blob = join(work, 'cni-ts.blob');
  writeFileSync(config, JSON.stringify({
    main: script, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, assets: { [koffiKey]: koffiNode },
  }));
  execFileSync(node, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });

  // strip drops ~13 MB of symbols from node; without binutils the unstripped copy works as well.
  const binary = join(work, 'cni-ts');
  try {
    execFileSync('strip', ['-o', binary, node], { stdio: 'ignore' });
  } catch {
    copyFileSync(node, binary);
  }
  chmodSync(binary, 0o755);
  const postject = join(root, 'node_modules/.bin/postject');
  // postject prints progress and harmless "Can't find string offset for section name" warnings: keep them off
  // the console unless it fails.
  try {
    execFileSync(postject, [binary, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: 'pipe' });
  } catch (err) {
    process.stderr.write(String(err.stderr ?? ''));
    throw err;
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  copyFileSync(binary, join(out, 'cni-ts')); // not rename: the work directory may be on another file system
  chmodSync(join(out, 'cni-ts'), 0o755);
  for (const p of plugins) symlinkSync('cni-ts', join(out, p));
  process.stdout.write(`build-sea: ${out}/cni-ts (${plugins.join(', ')} as links; native asset ${koffiKey})\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

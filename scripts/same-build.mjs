// Same-build delegation, the build side (the run-time side is packages/skel/src/same-build.ts):
//  - buildId(): a content hash of everything that goes into the plugin bundles, the same in every bundle of one
//    build (each plugin is bundled by its own process, so the id is computed, not handed around);
//  - embedding(): for a plugin that delegates (bridge), an entry that registers the plugins it may delegate to
//    (lazily loaded definitions) with skel's embedPlugins() before the plugin's own src/main.ts runs;
//  - markExecutable(): writes the marker `// cni-ts-build <name> <id> <body bytes>` as line 2 of a bundle.
// skel runs an embedded plugin in-process only when the file found on CNI_PATH carries the same id and name.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The plugins each plugin embeds: type → [its plugin module, how to get the definition from it]. */
const embeds = {
  bridge: {
    'host-local': ['plugins/host-local/src/plugin.ts', 'm.hostLocal'],
    static: ['plugins/static/src/plugin.ts', 'm.staticIpam'],
    'dnsmasq-ipam': ['plugins/dnsmasq-ipam/src/plugin.ts', 'm.createPlugin()'],
  },
};

const markerPrefix = '// cni-ts-build '; // = buildMarkerPrefix in packages/skel/src/same-build.ts

function sourceFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '__fixtures__' && entry.name !== 'dist') sourceFiles(path, out);
    } else if (entry.isFile() && !/\.test\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * The build id: sha256 (first 20 hex digits) over the path and content of every non-test source file of every
 * package and plugin, their package.json files, the lockfile (dependency versions) and the build scripts.
 */
export function buildId(root) {
  const files = [];
  for (const group of ['packages', 'plugins']) {
    for (const pkg of readdirSync(join(root, group)).sort()) {
      const dir = join(root, group, pkg);
      if (existsSync(join(dir, 'package.json'))) files.push(join(dir, 'package.json'));
      if (existsSync(join(dir, 'src')) && statSync(join(dir, 'src')).isDirectory()) sourceFiles(join(dir, 'src'), files);
    }
  }
  for (const f of ['pnpm-lock.yaml', 'scripts/bundle.mjs', 'scripts/esbuild-options.mjs', 'scripts/same-build.mjs', 'scripts/code-cache.mjs']) {
    if (existsSync(join(root, f))) files.push(join(root, f));
  }
  const hash = createHash('sha256');
  for (const f of files.map((p) => relative(root, p)).sort()) {
    hash.update(`${f}\0`).update(readFileSync(join(root, f))).update('\0');
  }
  return hash.digest('hex').slice(0, 20);
}

/** The plugins `name` embeds, as { type, file (absolute), pick (an expression of `m`, the module) }. */
export function embedTable(root, name) {
  return Object.entries(embeds[name] ?? {}).map(([type, [file, pick]]) => ({ type, file: join(root, file), pick }));
}

/**
 * esbuild options for the entry of `name`: src/main.ts, preceded (for a plugin that delegates) by a module that
 * registers the embedded plugins. ES modules run in import order, so the registration comes first.
 */
export function embedding(root, name, id) {
  const table = embeds[name];
  if (table === undefined) return { entryPoints: { [name]: 'src/main.ts' } };
  const loaders = Object.entries(table).map(
    ([type, [file, pick]]) => `  ${JSON.stringify(type)}: () => import(${JSON.stringify(join(root, file))}).then((m) => ${pick}),`,
  );
  const modules = {
    entry: `import 'cni-ts-embed:register';\nimport ${JSON.stringify(join(process.cwd(), 'src/main.ts'))};\n`,
    register: `import { embedPlugins } from '@cni-ts/skel';\nembedPlugins({ buildId: ${JSON.stringify(id)}, plugins: {\n${loaders.join('\n')}\n} });\n`,
  };
  return {
    entryPoints: { [name]: 'cni-ts-embed:entry' },
    plugins: [
      {
        name: 'cni-ts-embed',
        setup(b) {
          b.onResolve({ filter: /^cni-ts-embed:/ }, (a) => ({ path: a.path.slice('cni-ts-embed:'.length), namespace: 'cni-ts-embed' }));
          b.onLoad({ filter: /.*/, namespace: 'cni-ts-embed' }, (a) => ({ contents: modules[a.path], loader: 'js', resolveDir: process.cwd() }));
        },
      },
    ],
  };
}

/** Inserts the build marker as line 2 of the executable at `file` (line 1 is its shebang). */
export function markExecutable(file, { name, id }) {
  const content = readFileSync(file);
  const eol = content.indexOf(0x0a);
  if (content[0] !== 0x23 || content[1] !== 0x21 || eol < 0) throw new Error(`${file}: not a script with a shebang`);
  const body = content.subarray(eol + 1);
  if (!/^[A-Za-z0-9._-]+$/.test(name) || !/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`bad marker fields: ${name} ${id}`);
  writeFileSync(file, Buffer.concat([content.subarray(0, eol + 1), Buffer.from(`${markerPrefix}${name} ${id} ${body.length}\n`), body]));
}

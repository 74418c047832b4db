#!/usr/bin/env node
// Bundles one plugin (cwd = plugins/<name>) into a standalone executable: dist/<name>, plus the native module
// it loads (dist/koffi-<hash>.node, the same name in every plugin) and, when the plugin has src/config.ts,
// dist/schema.json: the JSON Schema of its config. Shared esbuild settings for every plugin live here, so all
// bundles agree on format and target. packages/cli uses it too, with its executable name as the argument.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configJsonSchema, writeJson } from './config-schema.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The executable's name: the plugin's directory name, or the first argument (packages/cli builds `cni-ts`).
const name = process.argv[2] ?? basename(process.cwd());
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const arch = process.env.CNI_TS_ARCH ?? process.arch;

// koffi 3's own loader picks its binary through a dynamic require that esbuild cannot follow, so the bundle
// aliases koffi to a shim that requires the prebuilt binary by a static path (netlink-transport.md, section 4).
const koffiShim = join(root, 'packages/netlink/src/transport', `koffi-native-${arch}.cjs`);
const alias = existsSync(koffiShim) ? { koffi: koffiShim } : {};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  loader: { '.node': 'copy' },
  alias,
  define: { __CNI_TS_VERSION__: JSON.stringify(pkg.version) },
};

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { [name]: 'src/main.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
});
renameSync(`dist/${name}.js`, `dist/${name}`);
chmodSync(`dist/${name}`, 0o755);
// The executable has no extension, so Node takes its module type from the nearest package.json, and ours say
// "module": without this marker the CJS bundle would be loaded as ESM and fail with "require is not defined".
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');

if (existsSync('src/config.ts')) writeJson('dist/schema.json', await configJsonSchema('.', name, common));

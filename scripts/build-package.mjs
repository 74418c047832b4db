#!/usr/bin/env node
// `prepack` of every publishable package (cwd = the package): in the repository, packages export their
// TypeScript sources; a packed tarball must work for a consumer without TypeScript, so this compiles the
// exported entry points (and what they import) to ESM JavaScript plus .d.ts in dist/lib/, which the package's
// `publishConfig.exports` points at (pnpm swaps it in when packing). A plugin is bundled first, so its
// tarball also carries the executable, the native module and schema.json.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = 'dist/lib';

const readPkg = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

/** The exports whose target is TypeScript source: [subpath, './src/x.ts']. */
function sourceExports(pkg) {
  return Object.entries(pkg.exports ?? {}).filter(([, target]) => typeof target === 'string' && target.endsWith('.ts'));
}

/** Where the compiled form of a source file lands: ./src/a/b.ts → ./dist/lib/a/b(.js|.d.ts). */
function compiled(source, ext) {
  return `./${OUT}/${source.replace(/^\.\/src\//, '').replace(/\.ts$/, ext)}`;
}

/** What `publishConfig.exports` must say, derived from `exports`. */
export function publishedExports(pkg) {
  return Object.fromEntries(
    Object.entries(pkg.exports ?? {}).map(([subpath, target]) =>
      typeof target === 'string' && target.endsWith('.ts')
        ? [subpath, { types: compiled(target, '.d.ts'), default: compiled(target, '.js') }]
        : [subpath, target],
    ),
  );
}

/** tsconfig `paths` sending each @cni-ts dependency to its compiled .d.ts, so its sources are not recompiled here. */
function dependencyPaths(dir, pkg) {
  const paths = {};
  for (const dep of Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@cni-ts/'))) {
    const depDir = realpathSync(join(dir, 'node_modules', dep));
    const depPkg = readPkg(depDir);
    if (!existsSync(join(depDir, OUT))) buildPackage(depDir);
    for (const [subpath, source] of sourceExports(depPkg)) {
      paths[dep + subpath.slice(1)] = [join(depDir, compiled(source, '.d.ts'))];
    }
  }
  return paths;
}

export function buildPackage(dir) {
  const pkg = readPkg(dir);
  const expected = publishedExports(pkg);
  if (JSON.stringify(pkg.publishConfig?.exports) !== JSON.stringify(expected)) {
    throw new Error(`${pkg.name}: publishConfig.exports must mirror exports:\n${JSON.stringify(expected, null, 2)}`);
  }
  if (pkg.scripts?.build?.includes('bundle.mjs')) execFileSync(process.execPath, [join(root, 'scripts/bundle.mjs')], { cwd: dir, stdio: 'inherit' });
  rmSync(join(dir, OUT), { recursive: true, force: true });
  const tsconfig = join(dir, '.tsconfig.publish.json');
  writeFileSync(tsconfig, JSON.stringify({
    extends: './tsconfig.json',
    compilerOptions: {
      noEmit: false,
      declaration: true,
      outDir: OUT,
      rootDir: 'src',
      rewriteRelativeImportExtensions: true, // './x.ts' → './x.js' in the emitted JavaScript
      paths: dependencyPaths(dir, pkg),
    },
    include: [],
    files: sourceExports(pkg).map(([, source]) => source),
  }));
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', tsconfig], { cwd: dir, stdio: 'inherit' });
  } finally {
    rmSync(tsconfig, { force: true });
  }
  // A plugin's dist/ is marked CommonJS for its extensionless bundle (bundle.mjs); the compiled modules are ESM.
  writeFileSync(join(dir, OUT, 'package.json'), '{ "type": "module" }\n');
  process.stderr.write(`build-package: ${pkg.name} → ${relative(root, join(dir, OUT))}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildPackage(process.cwd());

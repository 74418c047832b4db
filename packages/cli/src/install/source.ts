// What can be installed, read from a build output directory (dist/bin or dist/sea) or from the running
// single executable itself. Each item is a file or a symbolic link; plugins name the support files
// (the shared native module, the multi-call binary) they need beside them.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { hasShebang, rewriteShebang } from './shebang.ts';

export type Role = 'plugin' | 'support';

export type InstallItem =
  | { kind: 'file'; name: string; role: Role; content: Buffer; sha256: string; mode: number; needs: string[] }
  | { kind: 'symlink'; name: string; role: Role; target: string; needs: string[] };

export interface InstallSource {
  /** Where the items came from, for the report. */
  origin: string;
  /** The node the installed scripts run with (their rewritten shebang), when there are scripts. */
  interpreter?: string;
  items: Map<string, InstallItem>;
}

export function sha256(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The native modules a bundle loads from its own directory: esbuild emits `require("./koffi-<hash>.node")`. */
export function nativeModulesOf(script: Buffer): string[] {
  const found = new Set<string>();
  for (const m of script.toString('latin1').matchAll(/require\(\s*["'`]\.\/([\w.-]+\.node)["'`]\s*\)/g)) found.add(m[1]!);
  return [...found].sort();
}

function fileItem(name: string, role: Role, content: Buffer, mode: number, needs: string[]): InstallItem {
  return { kind: 'file', name, role, content, sha256: sha256(content), mode, needs };
}

/**
 * Reads a build output directory. Scripts (`#!`) are plugins whose shebang is pointed at `node`; `*.node` files
 * are support; a symbolic link is a plugin name for the binary it points to (dist/sea), and that binary is support.
 */
export function readBuildDir(dir: string, opts: { node?: string | undefined }): InstallSource {
  const names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  const linkTargets = new Set<string>();
  const items = new Map<string, InstallItem>();
  let scripts = 0;
  for (const name of names) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) {
      const target = readlinkSync(path);
      if (target.includes('/')) throw new Error(`${path} links outside its directory (${target}); expected a sibling name`);
      linkTargets.add(target);
      items.set(name, { kind: 'symlink', name, role: 'plugin', target, needs: [target] });
    }
  }
  for (const name of names) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (!st.isFile()) continue;
    const content = readFileSync(path);
    if (name.endsWith('.node') || name.endsWith('.v8cache')) {
      items.set(name, fileItem(name, 'support', content, 0o644, []));
    } else if (hasShebang(content)) {
      if (opts.node === undefined) throw new Error(`${path} is a node script: pass --node <absolute path of node>`);
      // A plugin's V8 code cache (scripts/code-cache.mjs) goes where the plugin goes; it is optional.
      const cache = names.includes(`${name}.v8cache`) ? [`${name}.v8cache`] : [];
      items.set(name, fileItem(name, 'plugin', rewriteShebang(content, opts.node), 0o755, [...nativeModulesOf(content), ...cache]));
      scripts++;
    } else {
      items.set(name, fileItem(name, linkTargets.has(name) ? 'support' : 'plugin', content, 0o755, []));
    }
  }
  for (const item of items.values()) {
    for (const need of item.needs) {
      if (!items.has(need)) throw new Error(`${join(dir, item.name)} needs ${need}, which is not in ${dir}`);
    }
  }
  if (![...items.values()].some((i) => i.role === 'plugin')) throw new Error(`${dir} holds no plugins; run \`pnpm build\` first`);
  return scripts > 0 && opts.node !== undefined ? { origin: dir, interpreter: opts.node, items } : { origin: dir, items };
}

/** The running single executable: the binary itself under `binaryName`, and one link per embedded plugin. */
export function readSelf(execPath: string, binaryName: string, plugins: readonly string[]): InstallSource {
  const items = new Map<string, InstallItem>();
  items.set(binaryName, fileItem(binaryName, 'support', readFileSync(execPath), 0o755, []));
  for (const name of plugins) items.set(name, { kind: 'symlink', name, role: 'plugin', target: binaryName, needs: [binaryName] });
  return { origin: execPath, items };
}

/** The named plugins (all of them when none are named) plus, transitively, the support files they need. */
export function selectItems(source: InstallSource, names: readonly string[]): InstallItem[] {
  const plugins = [...source.items.values()].filter((i) => i.role === 'plugin').map((i) => i.name);
  const wanted = names.length > 0 ? names : plugins;
  const unknown = wanted.filter((n) => !plugins.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown plugin ${unknown.map((n) => `"${n}"`).join(', ')}; ${source.origin} has: ${plugins.join(', ')}`);
  }
  const selected = new Map<string, InstallItem>();
  const visit = (name: string): void => {
    const item = source.items.get(name);
    if (!item || selected.has(name)) return;
    selected.set(name, item);
    item.needs.forEach(visit);
  };
  wanted.forEach(visit);
  // Support first: a plugin must never appear in the destination before what it loads.
  return [...selected.values()].sort((a, b) => (a.role === b.role ? a.name.localeCompare(b.name) : a.role === 'support' ? -1 : 1));
}

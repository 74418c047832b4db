// "Is the delegate on CNI_PATH this very build?" A bundled plugin carries a build marker on its second line
// (the first is the shebang, which `cni-ts install` rewrites):
//
//   // cni-ts-build <name> <build id> <body bytes>
//
// The build id is a content hash over every source and setting that went into the build (scripts/same-build.mjs
// writes it), so two files with the same id run the same code; <body bytes> is the length of everything after the
// marker line, checked against the file's size, so a file edited after the build does not pass. A plugin that
// embeds the definitions of the plugins it delegates to (bridge embeds the IPAM plugins) runs them in-process
// only when the file found on CNI_PATH carries its own build id and the delegate's name (embedded-runner.ts).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { PluginDefinition } from './plugin.ts';

export const buildMarkerPrefix = '// cni-ts-build ';

export interface BuildMarker {
  /** the plugin the file is, e.g. "host-local" */
  name: string;
  /** the content hash of the build it came from */
  buildId: string;
  /** bytes after the marker line */
  bodyBytes: number;
}

const token = /^[A-Za-z0-9._-]+$/;

/** The marker line, without its newline. */
export function formatBuildMarker(m: BuildMarker): string {
  if (!token.test(m.name) || !token.test(m.buildId) || !Number.isSafeInteger(m.bodyBytes) || m.bodyBytes < 0) {
    throw new Error(`invalid build marker ${JSON.stringify(m)}`);
  }
  return `${buildMarkerPrefix}${m.name} ${m.buildId} ${m.bodyBytes}`;
}

const headBytes = 512; // a shebang (at most 255 bytes on Linux) and the marker line fit

/**
 * The marker of the executable at `path`, or undefined when it is not an intact cni-ts bundle: no shebang, no
 * marker on line 2, or a size that differs from what the marker says. Reads one block and fstats the file.
 */
export function readBuildMarker(path: string): BuildMarker | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(headBytes);
    const n = readSync(fd, head, 0, headBytes, 0);
    if (n < 2 || head[0] !== 0x23 || head[1] !== 0x21) return undefined; // "#!"
    const eol1 = head.indexOf(0x0a);
    const eol2 = eol1 < 0 ? -1 : head.indexOf(0x0a, eol1 + 1);
    if (eol2 < 0 || eol2 >= n) return undefined;
    const line = head.toString('latin1', eol1 + 1, eol2);
    if (!line.startsWith(buildMarkerPrefix)) return undefined;
    const [name, buildId, bytes, ...rest] = line.slice(buildMarkerPrefix.length).split(' ');
    if (name === undefined || buildId === undefined || bytes === undefined || rest.length > 0) return undefined;
    if (!token.test(name) || !token.test(buildId) || !/^\d{1,15}$/.test(bytes)) return undefined;
    const bodyBytes = Number(bytes);
    if (fstatSync(fd).size !== eol2 + 1 + bodyBytes) return undefined;
    return { name, buildId, bodyBytes };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Loads an embedded plugin's definition (lazily: most invocations never delegate). */
export type PluginLoader = () => PluginDefinition<any> | Promise<PluginDefinition<any>>;

export interface EmbeddedPlugins {
  /** this build's id, as in the markers of the files it produced */
  buildId: string;
  /** the plugins this executable carries, by type name */
  plugins: Readonly<Record<string, PluginLoader>>;
  /**
   * Whether the file found on CNI_PATH for `type` is this build's. Default: its build marker names `type` and
   * carries `buildId`. (A multi-call executable would compare the file with itself instead.)
   */
  isSameBuild?: (path: string, type: string) => boolean;
}

let embedded: EmbeddedPlugins | undefined;

/**
 * Registers the plugins this executable embeds. Called by a bundle's generated entry before the plugin's main
 * module runs (scripts/same-build.mjs); nothing else should call it.
 */
export function embedPlugins(e: EmbeddedPlugins): void {
  embedded = e;
}

/** What embedPlugins registered, if anything. */
export function embeddedPlugins(): EmbeddedPlugins | undefined {
  return embedded;
}

// Types of scripts/esbuild-options.mjs, for the TypeScript test helpers that import it.
import type { BuildOptions } from 'esbuild';

export declare const repoRoot: string;

export declare function koffiAlias(arch?: string): Record<string, string>;

export interface PluginBundleSettings {
  /** Defines `__CNI_TS_VERSION__`; default '0.0.0-dev'. */
  version?: string;
  /** Picks netlink's koffi shim; default process.arch. */
  arch?: string;
}

export declare function pluginBundleOptions(settings?: PluginBundleSettings): BuildOptions & {
  alias: Record<string, string>;
  define: Record<string, string>;
  loader: NonNullable<BuildOptions['loader']>;
};

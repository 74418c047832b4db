// What one plugin in a list receives on stdin (libcni buildOneConfig / injectRuntimeConfig): its own object from the
// list, with the list's name and chosen version, the previous result, and the capability args it declared.
import { isCniError, type CniError } from '@cni-ts/skel';
import type { PluginConfig } from './conflist.ts';

export interface InjectOptions {
  readonly name: string;
  readonly cniVersion: string;
  readonly prevResult?: Readonly<Record<string, unknown>> | undefined;
  /** All capability args the runtime has; only the plugin's declared (true) capabilities are passed on. */
  readonly capabilityArgs?: Readonly<Record<string, unknown>> | undefined;
  /** Other top-level keys to set (GC's cni.dev/valid-attachments). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Only the declared capabilities that the runtime provided; undefined when none (no `runtimeConfig` key is added). */
export function runtimeConfigFor(plugin: PluginConfig, capabilityArgs: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  if (!capabilityArgs) return undefined;
  const rc: Record<string, unknown> = {};
  for (const [cap, declared] of Object.entries(plugin.capabilities)) {
    if (declared && Object.hasOwn(capabilityArgs, cap)) rc[cap] = capabilityArgs[cap];
  }
  return Object.keys(rc).length > 0 ? rc : undefined;
}

export function pluginStdin(plugin: PluginConfig, o: InjectOptions): Buffer {
  const conf: Record<string, unknown> = { ...plugin.raw, name: o.name, cniVersion: o.cniVersion };
  if (o.prevResult) conf.prevResult = o.prevResult;
  const rc = runtimeConfigFor(plugin, o.capabilityArgs);
  if (rc) conf.runtimeConfig = rc;
  Object.assign(conf, o.extra);
  return Buffer.from(JSON.stringify(conf));
}

/** `type="bridge" name="x"`, as libcni names a plugin in its errors. */
export function describePlugin(plugin: PluginConfig): string {
  return `type=${JSON.stringify(plugin.type)}${plugin.name ? ` name=${JSON.stringify(plugin.name)}` : ''}`;
}

/** Go's types.Error text: the message, then "; details" when there are details. */
export function errorText(err: unknown): string {
  if (isCniError(err)) return err.details ? `${err.msg}; ${err.details}` : err.msg;
  return err instanceof Error ? err.message : String(err);
}

/** The plugin's CniError behind a runner error (runner errors keep it as their `cause`), if there is one. */
export function cniErrorOf(err: unknown): CniError | undefined {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 10; depth++) {
    if (isCniError(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

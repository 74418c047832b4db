// What a plugin author writes: a PluginDefinition with one callback per verb, and the contexts skel hands them.
import type * as z from 'zod/mini';
import type { LinuxCapability } from './capabilities.ts';
import type { CniArgs } from './cni-args.ts';
import type { Delegate } from './delegate.ts';
import type { Logger } from './logger.ts';
import type { Result } from './result/model.ts';
import type { CniVersion } from './versions.ts';

export type CommandVerb = 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC';

export interface CommandContext<C> {
  command: CommandVerb;
  /** The stdin JSON object parsed by `def.config`. */
  conf: C;
  /** The stdin JSON object as it came (unknown keys included). */
  raw: Record<string, unknown>;
  /** The original stdin bytes (delegates get exactly these). */
  stdin: Buffer;
  /** The config's cniVersion ("" or missing means 0.1.0); the result is printed in this version. */
  cniVersion: CniVersion;
  /** CNI_CONTAINERID, CNI_NETNS and CNI_IFNAME; '' when not given (DEL may lack netns; GC and STATUS lack all). */
  containerId: string;
  netns: string;
  ifName: string;
  /** CNI_PATH split on ':' (empty entries dropped). */
  cniPath: string[];
  /** CNI_ARGS, parsed leniently. */
  args: CniArgs;
  /** `prevResult` from the config, parsed into the 1.x model (a version-less one takes the config's version). */
  prevResult?: Result;
  env: Readonly<Record<string, string | undefined>>;
  /** Runs another plugin (IPAM) with the same stdin and env, CNI_COMMAND replaced. */
  delegate: Delegate;
  log: Logger;
}

export type AddContext<C> = CommandContext<C>;
export type DelContext<C> = CommandContext<C>;
/** prevResult is what the runtime sent: CHECK requires it per spec, but plugins decide (host-local checks without). */
export type CheckContext<C> = CommandContext<C>;
export type StatusContext<C> = CommandContext<C>;

export interface Attachment {
  containerId: string;
  ifName: string;
}

export type GcContext<C> = CommandContext<C> & {
  /** From `cni.dev/valid-attachments` (or libcni's misspelled `cni.dev/attachments`); absent means none is valid. */
  validAttachments: Attachment[];
};

export interface PluginDefinition<C> {
  /** e.g. 'bridge'; the about banner says "CNI bridge plugin <version>" */
  name: string;
  /** default: "v" + the build's __CNI_TS_VERSION__, else "version unknown" */
  version?: string;
  /** default: every version (versions.all) */
  supportedVersions?: readonly CniVersion[];
  /** Parses the whole stdin object (usually `z.extend(PluginConf, {...})`); a failure is code 7 naming the field. */
  config: z.ZodMiniType<C, unknown>;
  /**
   * Capabilities every verb needs (bridge: net_admin, sys_admin). Missing ones fail the invocation at once, before
   * the config is read, naming them (instead of a bare EPERM from the first kernel call). VERSION needs none.
   */
  capabilities?: readonly LinuxCapability[];
  /** How long a delegated plugin may run; CNI_TS_DELEGATE_TIMEOUT_MS overrides it. Default 60 000 ms. */
  delegateTimeoutMs?: number;
  add(ctx: AddContext<C>): Promise<Result>;
  del(ctx: DelContext<C>): Promise<void>;
  /** absent → CHECK succeeds without doing anything (as Go's skel) */
  check?(ctx: CheckContext<C>): Promise<void>;
  status?(ctx: StatusContext<C>): Promise<void>;
  gc?(ctx: GcContext<C>): Promise<void>;
}

/** Identity, for type inference of `C` from the config schema. */
export function definePlugin<C>(def: PluginDefinition<C>): PluginDefinition<C> {
  return def;
}

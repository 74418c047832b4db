// Runs the netfilter tools (iptables, ip6tables, their -restore variants, nft) for the ipMasq and macspoofchk
// code. These are the only programs the bridge plugin spawns: netfilter has no stable netlink API that we could
// speak ourselves at the level iptables-nft and nft do, and the reference plugins drive the same tools.
// Everything here runs in the plugin's own (host) network namespace; tests inject a runner that wraps the call in
// `ip netns exec <ns>` instead.
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isSysError, runProgram } from '@cni-ts/netlink/sys';
import { CniError, ErrorCode } from '@cni-ts/skel';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one netfilter tool; `input` goes to its stdin. Throws only when the program cannot be started. */
export interface CommandRunner {
  run(program: NetfilterTool, args: readonly string[], input?: string): Promise<CommandResult>;
  /** Whether the tool is installed; a backend whose tool is missing counts as unusable. */
  has(program: NetfilterTool): boolean;
}

export type NetfilterTool = 'iptables' | 'ip6tables' | 'iptables-restore' | 'ip6tables-restore' | 'nft';

/** Thrown when a netfilter tool exits non-zero; keeps the tool's own message. */
export class NetfilterCommandError extends Error {
  override readonly name = 'NetfilterCommandError';
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    readonly result: CommandResult,
  ) {
    super(`${program} ${shorten(args.join(' '))} failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
}

// A JSON transaction can be long; the message keeps its start, the error object keeps all of it.
const shorten = (s: string): string => (s.length > 160 ? `${s.slice(0, 160)}…` : s);

// Runtimes often run plugins with a minimal PATH (or none); the tools live in sbin.
const FALLBACK_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
// A runaway tool (e.g. blocked on a lock that `-w` does not cover) must not hang the runtime forever.
const TIMEOUT_MS = 30_000;

export function systemRunner(env: Readonly<Record<string, string | undefined>> = process.env): CommandRunner {
  const found = new Map<string, string | undefined>();
  const locate = (program: string): string | undefined => {
    if (!found.has(program)) {
      const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), ...FALLBACK_PATH];
      found.set(program, dirs.map((d) => join(d, program)).find(isExecutable));
    }
    return found.get(program);
  };
  return {
    has: (program) => locate(program) !== undefined,
    run(program, args, input) {
      const path = locate(program);
      if (path === undefined) return Promise.reject(new Error(`${program} not found in PATH`));
      return spawnCollect(path, args, input);
    },
  };
}

function isExecutable(path: string): boolean {
  // existsSync first: a miss is the usual case along PATH, and accessSync reports it by building a full fs error
  // (its text loads libuv's error table) only for us to drop it.
  if (!existsSync(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false; // not there (or not runnable): keep looking in the next directory
  }
}

/**
 * Runs a program directly (never through a shell) and collects its output. Through netlink's runProgram rather than
 * node:child_process, whose module graph (streams, net, dgram) added ~2 MiB to the peak memory of every ipMasq run.
 * It waits synchronously, as the steps that call it await the tool before going on anyway; the timeout still applies.
 */
export async function spawnCollect(path: string, args: readonly string[], input?: string): Promise<CommandResult> {
  let result;
  try {
    result = runProgram(path, args, { input: input ?? '', timeoutMs: TIMEOUT_MS });
  } catch (err) {
    // Cannot be started (ENOENT, EACCES): the message node's spawn gave, e.g. "spawn /usr/sbin/nft EACCES".
    throw isSysError(err) ? new Error(`spawn ${path} ${err.code}`, { cause: err }) : err;
  }
  // A tool the stdin was not meant for may exit without reading it: runProgram ignores that EPIPE, as we did.
  const stderr = result.stderr + (result.signal ? `\nkilled by ${result.signal}` : '');
  return { code: result.status ?? 128, stdout: result.stdout, stderr };
}

// iptables (legacy) exits 4 with this text when `-w` ran out before another process released the xtables lock
// (a kube-proxy holding it: checklist 8 #7). That is transient: code 11 tells the runtime to retry.
const XTABLES_LOCK_BUSY = /holding the xtables lock/;

// What the tools print when the kernel itself cannot hold the table being listed: nft without nf_tables
// (EOPNOTSUPP; "Not supported" in older nft) or without nfnetlink (EPROTONOSUPPORT, also iptables-nft's text), and
// iptables-legacy without the table's module (e.g. ip6table_nat). Nothing of ours can exist there, so a DEL or GC
// that finds this has nothing to remove; setup and CHECK still fail on it.
const KERNEL_LACKS_TABLE = /(Operation|Protocol) not supported|: Not supported|Table does not exist/;

/** For DEL and GC: a listing that fails because the kernel cannot have the table is the empty listing. */
export async function listingToRemove<T>(listing: Promise<T>, empty: T): Promise<T> {
  try {
    return await listing;
  } catch (err) {
    if (err instanceof NetfilterCommandError && KERNEL_LACKS_TABLE.test(err.result.stderr)) return empty;
    throw err;
  }
}

/** Runs a tool and throws NetfilterCommandError unless it exits 0 (CniError 11 when the xtables lock stayed busy). */
export async function runChecked(runner: CommandRunner, program: NetfilterTool, args: readonly string[], input?: string): Promise<string> {
  const result = await runner.run(program, args, input);
  if (result.code === 4 && XTABLES_LOCK_BUSY.test(result.stderr)) {
    throw new CniError(ErrorCode.TryAgainLater, `${program}: the xtables lock is held by another process`, result.stderr.trim(), {
      cause: new NetfilterCommandError(program, args, result),
    });
  }
  if (result.code !== 0) throw new NetfilterCommandError(program, args, result);
  return result.stdout;
}

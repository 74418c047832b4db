// Starting, finding and stopping one network's dnsmasq (design §2.4). dnsmasq daemonises itself: its exit status
// says whether the sockets are bound, so "exit 0" is readiness and no polling is needed.
import { existsSync, readFileSync } from 'node:fs';
import { isSysError, runProgram, type RunProgramResult } from '@cni-ts/netlink/sys';
import { dnsmasqStartFailed } from '../errors.ts';
import type { NetworkPaths } from '../state/paths.ts';

/** The exact argument a network's dnsmasq runs with; its presence in /proc/<pid>/cmdline identifies the daemon. */
export function confArgument(paths: Pick<NetworkPaths, 'conf'>): string {
  return `--conf-file=${paths.conf}`;
}

/**
 * The pid of this network's dnsmasq if it is alive: the pid file names a process whose command line contains
 * exactly `--conf-file=<conf>`. That guards against pid reuse and zombies (kill -0 succeeds on a zombie, but its
 * cmdline is empty), and dnsmasq leaves its pid file behind when it dies.
 */
export function runningDnsmasqPid(paths: Pick<NetworkPaths, 'conf' | 'pid'>): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(paths.pid, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  let argv: string[];
  try {
    // UTF-8, as the arguments were encoded: a run directory with non-ASCII characters still matches (latin1 did not).
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  return argv.includes(confArgument(paths)) ? pid : undefined;
}

export interface Launcher {
  /** How dnsmasq was started. */
  via: 'systemd-run' | 'spawn';
  argv: string[];
}

/**
 * Under systemd, dnsmasq goes into its own transient scope, so it does not live in (and die with) the cgroup of
 * whatever called the plugin (dnsname#21, podman#9931). Elsewhere it is a plain child that daemonises.
 */
export function launchCommands(opts: { binary: string; paths: Pick<NetworkPaths, 'conf'>; network: string; systemdRun?: string | undefined }): Launcher[] {
  const dnsmasq = [opts.binary, confArgument(opts.paths)];
  const plain: Launcher = { via: 'spawn', argv: dnsmasq };
  if (opts.systemdRun === undefined) return [plain];
  return [{ via: 'systemd-run', argv: [opts.systemdRun, '-q', '--scope', `--unit=cni-dnsmasq-${opts.network}`, '--collect', '--', ...dnsmasq] }, plain];
}

/** systemd-run, when PID 1 is systemd (sd_booted(3): /run/systemd/system exists) and the tool is installed. */
export function findSystemdRun(): string | undefined {
  if (!existsSync('/run/systemd/system')) return undefined;
  return ['/usr/bin/systemd-run', '/bin/systemd-run'].find((p) => existsSync(p));
}

/**
 * Starts dnsmasq and returns once it has daemonised with its sockets bound. A non-zero exit is F2/F3 (101) with
 * dnsmasq's own stderr as details. A failing systemd-run (no bus, unit name taken) falls back to a plain spawn:
 * dnsmasq's own failures are recognisable because it prefixes every message with "dnsmasq:".
 */
export function startDnsmasq(opts: { launchers: Launcher[]; onFallback?: (why: string) => void }): Launcher {
  let last: { exit: string; stderr: string } | undefined;
  for (const [i, launcher] of opts.launchers.entries()) {
    const [command = '', ...args] = launcher.argv;
    const attempt = launchOnce(command, args);
    if (attempt === 'ready') return launcher;
    last = attempt;
    const ownFailure = launcher.via === 'spawn' || /^dnsmasq:/m.test(attempt.stderr);
    if (ownFailure || i === opts.launchers.length - 1) break;
    opts.onFallback?.(`${attempt.exit}: ${attempt.stderr.trim()}`);
  }
  throw dnsmasqStartFailed(last?.exit ?? 'not started', last?.stderr ?? '');
}

/**
 * Runs one launcher to its exit: 'ready' on exit 0, else how it ended and its stderr. Through netlink's runProgram,
 * not node:child_process, whose module graph (net, dgram, streams) cost ~4 ms of CPU and ~2 MiB of peak memory.
 * The spawnSync contract it replaces: stdin and stdout on /dev/null, stderr collected, cwd /, 30 s timeout.
 */
function launchOnce(command: string, args: string[]): 'ready' | { exit: string; stderr: string } {
  let child: RunProgramResult;
  try {
    child = runProgram(command, args, { captureStdout: false, cwd: '/', timeoutMs: 30_000 });
  } catch (err) {
    if (!isSysError(err)) throw err;
    return { exit: `cannot run ${command}: ${err.code}`, stderr: '' };
  }
  if (child.status === 0) return 'ready';
  const exit = child.timedOut ? 'timed out after 30 s' : child.signal ? `killed by ${child.signal}` : `exit ${child.status}`;
  return { exit, stderr: child.stderr };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the daemon is gone (an old instance took >300 ms). */
export async function stopDnsmasq(paths: Pick<NetworkPaths, 'conf' | 'pid'>, graceMs = 2000): Promise<void> {
  const pid = runningDnsmasqPid(paths);
  if (pid === undefined) return;
  const gone = async (untilMs: number): Promise<boolean> => {
    const deadline = Date.now() + untilMs;
    while (runningDnsmasqPid(paths) === pid) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  };
  signal(pid, 'SIGTERM');
  if (await gone(graceMs)) return;
  signal(pid, 'SIGKILL');
  await gone(graceMs);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err; // ESRCH: it exited meanwhile, which is the goal
  }
}

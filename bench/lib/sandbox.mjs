// The isolation every bench script uses (the same model as /work/shared/bench): the script re-runs itself inside a
// fresh network namespace `cnits-<tag>-<rand>-host` (via `ip netns exec`, which also gives it a private /sys), so
// bridges, veths, addresses and dnsmasq live there and never touch the machine's own network stack. Container
// namespaces are `cnits-<tag>-<rand>-*`; all of them are deleted when the run ends, fails or is interrupted.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const SYS_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function ip(args, input) {
  return execFileSync('ip', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export function netnsAdd(names) {
  if (names.length) ip(['-batch', '-'], names.map((n) => `netns add ${n}\n`).join(''));
}

export function netnsDel(names) {
  if (names.length) {
    try {
      ip(['-force', '-batch', '-'], names.map((n) => `netns del ${n}\n`).join(''));
    } catch {
      // some were already gone
    }
  }
}

/** Every netns of this run (prefix match on the run's own random tag). */
function ownNetns(prefix) {
  return ip(['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter((n) => n && n.startsWith(prefix));
}

/**
 * Outside: creates the sandbox, runs `node <script> ...args` inside it with CNITS_SANDBOX=<prefix> and resolves with
 * its exit code, always deleting the run's namespaces. Inside (CNITS_SANDBOX set): returns the prefix at once.
 */
export async function inSandbox(tag, script, args) {
  if (process.env.CNITS_SANDBOX) return { inside: true, prefix: process.env.CNITS_SANDBOX };
  if (process.getuid?.() !== 0) throw new Error(`${script}: needs root (network namespaces)`);
  const prefix = `cnits-${tag}-${randomBytes(3).toString('hex')}-`;
  const host = `${prefix}host`;
  netnsAdd([host]);
  const cleanup = () => netnsDel(ownNetns(prefix));
  const child = spawn('ip', ['netns', 'exec', host, process.execPath, script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, CNITS_SANDBOX: prefix },
  });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  try {
    const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
    return { inside: false, code };
  } finally {
    process.off('SIGINT', forward).off('SIGTERM', forward);
    cleanup();
  }
}

/** Runs `file` with env and stdin, timing spawn → close (the harness style of cni-bench). */
export function invoke(file, args, { env, stdin = '' }) {
  return new Promise((resolve) => {
    const t0 = performance.timeOrigin + performance.now();
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.stdin.on('error', () => {});
    child.on('error', (e) => err.push(Buffer.from(String(e))));
    child.on('close', (code) => {
      const t1 = performance.timeOrigin + performance.now();
      resolve({ code, t0, ms: t1 - t0, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.end(stdin);
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Nearest-rank percentile, as cni-bench computes it. */
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
};

/**
 * Stops the dnsmasq a dnsmasq-ipam network of this run started: a GC with no valid attachment (the plugin's own
 * way), then, if it is still there, SIGTERM to the pid in its pid file (only if that process is that dnsmasq).
 */
export async function stopDnsmasq(bin, conf) {
  await invoke(`${bin}/dnsmasq-ipam`, [], {
    env: { PATH: SYS_PATH, CNI_COMMAND: 'GC', CNI_PATH: bin },
    stdin: JSON.stringify({ ...conf, cniVersion: '1.1.0', 'cni.dev/valid-attachments': [] }), // GC needs 1.1.0
  });
  const pidFile = `${conf.ipam.runDir}/${conf.name}/dnsmasq.pid`;
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid > 0 && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(conf.ipam.runDir)) process.kill(pid, 'SIGTERM');
  } catch {
    // no pid file, or the process is gone
  }
}

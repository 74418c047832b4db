// Runs a CNI plugin executable as a runtime would: CNI_* variables, the config on stdin, the result or error JSON on
// stdout. The environment is built from scratch (no NODE_OPTIONS, no NODE_EXTRA_CA_CERTS) so every run is alike.
import { spawn } from 'node:child_process';

export interface PluginRun {
  readonly command: 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC' | 'VERSION';
  /** An object is sent as JSON; a string as is. */
  readonly conf: unknown;
  readonly containerId?: string;
  readonly ifName?: string;
  /** IPAM plugins need no namespace: any path will do (default /var/run/netns/cni-ts-test-dummy). */
  readonly netns?: string;
  readonly cniArgs?: string;
  readonly cniPath?: string;
  readonly env?: Record<string, string>;
}

export interface PluginOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON; undefined when stdout is empty or not JSON */
  readonly json: unknown;
}

export function pluginEnv(run: PluginRun): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: run.command,
    CNI_PATH: run.cniPath ?? '/usr/lib/cni',
  };
  if (run.command !== 'STATUS' && run.command !== 'GC' && run.command !== 'VERSION') {
    env.CNI_CONTAINERID = run.containerId ?? 'cni-ts-test';
    env.CNI_IFNAME = run.ifName ?? 'eth0';
    env.CNI_NETNS = run.netns ?? '/var/run/netns/cni-ts-test-dummy';
  }
  if (run.cniArgs !== undefined) env.CNI_ARGS = run.cniArgs;
  return { ...env, ...run.env };
}

export function execPlugin(executable: string, run: PluginRun): Promise<PluginOutput> {
  const stdin = typeof run.conf === 'string' ? run.conf : JSON.stringify(run.conf);
  return new Promise((resolve, reject) => {
    const child = spawn(executable, [], { env: pluginEnv(run), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      let json: unknown;
      try {
        json = stdout.trim() === '' ? undefined : JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ exitCode: code ?? (signal ? 128 : -1), stdout, stderr: Buffer.concat(err).toString('utf8'), json });
    });
    child.stdin.end(stdin);
  });
}

/** Maps with at most `limit` calls in flight (tests share two cores with other work). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

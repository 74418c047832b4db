// Runs a built plugin the way a runtime does, but inside the lab's host namespace (`ip netns exec`), so the
// bridge, dnsmasq and every address stay in namespaces the test created.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Lab } from './lab.ts';

export interface PluginRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, when it is JSON. */
  json: any;
}

export interface PluginCall {
  command: 'ADD' | 'DEL' | 'CHECK' | 'STATUS' | 'GC' | 'VERSION';
  config: object;
  containerId?: string;
  netns?: string;
  ifName?: string;
  args?: string;
  /** Extra environment (e.g. CNI_TS_LOG_LEVEL). */
  env?: Record<string, string>;
  plugin?: string;
}

export function runPlugin(lab: Lab, binDir: string, call: PluginCall): Promise<PluginRun> {
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin', // no sbin: the plugin must find dnsmasq by itself
    CNI_COMMAND: call.command,
    CNI_CONTAINERID: call.containerId ?? '',
    CNI_NETNS: call.netns ?? '',
    CNI_IFNAME: call.ifName ?? '',
    CNI_PATH: binDir,
    ...(call.args === undefined ? {} : { CNI_ARGS: call.args }),
    ...call.env,
  };
  const child = spawn('ip', ['netns', 'exec', lab.host.name, join(binDir, call.plugin ?? 'dnsmasq-ipam')], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(JSON.stringify(call.config));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      let json: unknown;
      try {
        json = stdout.trim() === '' ? undefined : JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? -1, stdout, stderr, json });
    });
  });
}

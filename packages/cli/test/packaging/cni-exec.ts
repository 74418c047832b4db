// Runs a plugin executable the way a container runtime does: by absolute path, config on stdin, CNI_* in an
// environment that holds nothing else, with a PATH in which there is no node.
import { exec, type Exit } from './process.ts';

export const NO_NODE_PATH = '/nonexistent';

export interface CniExit extends Exit { json: unknown }

export function cniExec(executable: string, command: string, conf: object, extraEnv: Record<string, string> = {}): CniExit {
  const env = {
    PATH: NO_NODE_PATH,
    CNI_COMMAND: command,
    CNI_CONTAINERID: 'packaging-test-c1',
    CNI_NETNS: '/var/run/netns/packaging-test-c1', // IPAM plugins do not open it
    CNI_IFNAME: 'eth0',
    CNI_PATH: NO_NODE_PATH,
    ...extraEnv,
  };
  const r = exec(executable, [], { cwd: '/', env, input: JSON.stringify(conf) });
  let json: unknown;
  try {
    json = r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

export function hostLocalConf(dataDir: string): object {
  return {
    cniVersion: '1.0.0',
    name: 'packaging-net',
    type: 'host-local',
    ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.77.0.0/24' }]] },
  };
}

export function staticConf(): object {
  return {
    cniVersion: '1.0.0',
    name: 'packaging-net',
    type: 'static',
    ipam: { type: 'static', addresses: [{ address: '10.78.0.5/24', gateway: '10.78.0.1' }] },
  };
}

/** The answer every plugin gives to VERSION: the versions it speaks. */
export function expectVersionAnswer(r: CniExit): { cniVersion: string; supportedVersions: string[] } {
  if (r.code !== 0) throw new Error(`VERSION exited ${r.code ?? r.signal}: ${r.stderr}${r.stdout}`);
  const json = r.json as { cniVersion?: unknown; supportedVersions?: unknown };
  if (typeof json?.cniVersion !== 'string' || !Array.isArray(json.supportedVersions)) {
    throw new Error(`not a VERSION answer: ${r.stdout}`);
  }
  return json as { cniVersion: string; supportedVersions: string[] };
}

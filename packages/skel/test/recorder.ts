// Shared by skel's dispatcher tests: a plugin whose callbacks record the context they got, and invocation helpers.
import { PluginConf } from '../src/config.ts';
import type { CommandContext, PluginDefinition } from '../src/plugin.ts';
import type { Result } from '../src/result/model.ts';

export const env = (command: string, extra: Record<string, string | undefined> = {}) => ({
  CNI_COMMAND: command,
  CNI_CONTAINERID: 'c1',
  CNI_NETNS: '/var/run/netns/skel-test-none',
  CNI_IFNAME: 'eth0',
  CNI_PATH: '/opt/cni/bin:/usr/lib/cni',
  ...extra,
});
export const conf = (extra: object = {}) => JSON.stringify({ cniVersion: '1.1.0', name: 'net1', type: 'test', ...extra });
export const addResult: Result = { ips: [{ address: '10.0.0.2/24', gateway: '10.0.0.1' }] };

/** A plugin whose callbacks record the context they got. */
export function recorder(over: Partial<PluginDefinition<PluginConf>> = {}) {
  const seen: CommandContext<PluginConf>[] = [];
  const def: PluginDefinition<PluginConf> = {
    name: 'recorder',
    config: PluginConf,
    add: async (ctx) => (seen.push(ctx), addResult),
    del: async (ctx) => void seen.push(ctx),
    check: async (ctx) => void seen.push(ctx),
    status: async (ctx) => void seen.push(ctx),
    gc: async (ctx) => void seen.push(ctx),
    ...over,
  };
  return { def, seen };
}

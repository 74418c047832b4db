// The bridge plugin: its config schema and one handler per verb.
// Each verb's module is loaded when that verb runs (as in dnsmasq-ipam): a process serves one verb, so VERSION does
// not initialise the netlink package and koffi (~3 MiB of its peak memory), nor ADD the modules of DEL and CHECK.
import { definePlugin } from '@cni-ts/skel';
import { BridgeConf } from './config.ts';

export const bridgePlugin = definePlugin({
  name: 'bridge',
  // links and addresses (net_admin), entering the container's namespace (sys_admin): refused at once without them
  capabilities: ['net_admin', 'sys_admin'],
  config: BridgeConf,
  add: async (ctx) => (await import('./add.ts')).cmdAdd(ctx),
  del: async (ctx) => (await import('./del.ts')).cmdDel(ctx),
  check: async (ctx) => (await import('./check.ts')).cmdCheck(ctx),
  status: async (ctx) => (await import('./status.ts')).cmdStatus(ctx),
  gc: async (ctx) => (await import('./gc.ts')).cmdGc(ctx),
});

// The dnsmasq-ipam plugin: IPv4 addresses and DNS names served by a plugin-managed dnsmasq per network.
// Each verb's module is loaded when that verb runs: a process serves one verb, and start-up is most of an ADD's
// cost, so DEL, CHECK, STATUS and VERSION do not pay for ADD's code (and the reverse).
import { definePlugin } from '@cni-ts/skel';
import { DnsmasqIpamConf } from './config.ts';
import type { Links } from './links.ts';

export function createPlugin(injected?: Links) {
  const links = async (): Promise<Links> => injected ?? (await import('./kernel-links.ts')).kernelLinks;
  return definePlugin({
    name: 'dnsmasq-ipam',
    // the gateway address (net_admin), DHCP sockets bound to a device (net_raw), the container's namespace (sys_admin)
    capabilities: ['net_admin', 'net_raw', 'sys_admin'],
    config: DnsmasqIpamConf,
    add: async (ctx) => (await import('./add.ts')).cmdAdd(ctx, await links()),
    del: async (ctx) => (await import('./del.ts')).cmdDel(ctx, await links()),
    check: async (ctx) => (await import('./check.ts')).cmdCheck(ctx),
    status: async (ctx) => (await import('./status.ts')).cmdStatus(ctx, await links()),
    gc: async (ctx) => (await import('./gc.ts')).cmdGc(ctx, await links()),
  });
}

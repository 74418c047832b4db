// The dnsmasq-ipam plugin: IPv4 addresses and DNS names served by a plugin-managed dnsmasq per network.
import { definePlugin } from '@cni-ts/skel';
import { cmdAdd } from './add.ts';
import { cmdCheck } from './check.ts';
import { DnsmasqIpamConf } from './config.ts';
import { cmdDel } from './del.ts';
import { cmdGc } from './gc.ts';
import { kernelLinks } from './kernel-links.ts';
import type { Links } from './links.ts';
import { cmdStatus } from './status.ts';

export function createPlugin(links: Links = kernelLinks) {
  return definePlugin({
    name: 'dnsmasq-ipam',
    config: DnsmasqIpamConf,
    add: (ctx) => cmdAdd(ctx, links),
    del: (ctx) => cmdDel(ctx, links),
    check: (ctx) => cmdCheck(ctx),
    status: (ctx) => cmdStatus(ctx, links),
    gc: (ctx) => cmdGc(ctx, links),
  });
}

// The config schema of every cni-ts plugin, by the `type` a conflist names it with. These are the very zod
// schemas the plugins parse their stdin with, and the ones their schema.json is generated from.
import { BridgeConf } from '@cni-ts/bridge';
import { DnsmasqIpamConf } from '@cni-ts/dnsmasq-ipam';
import { HostLocalConf } from '@cni-ts/host-local';
import { StaticConf } from '@cni-ts/static';
import type { ConfigSchema, SchemaRegistry } from './validate.ts';

export function pluginSchemas(): SchemaRegistry {
  return new Map<string, ConfigSchema>([
    ['bridge', BridgeConf],
    ['dnsmasq-ipam', DnsmasqIpamConf],
    ['host-local', HostLocalConf],
    ['static', StaticConf],
  ]);
}

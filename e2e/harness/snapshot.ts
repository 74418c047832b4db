// A comparable picture of everything an ADD could change in a cell, to prove that a failed ADD changed nothing.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { globalAddrs, links, natState } from './kernel.ts';
import type { Sandbox } from './sandbox.ts';

async function dirContents(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string, prefix: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = await readFile(join(d, e.name), 'utf8').catch((err: Error) => `<${err.message}>`);
    }
  };
  await walk(dir, '');
  return out;
}

export async function snapshot(sb: Sandbox): Promise<unknown> {
  const nsState = await Promise.all(sb.namespaces.map(async (ns) => ({
    // names, kinds, masters and MACs; operstate is left out (it settles on its own after an ADD)
    links: (await links(ns)).map((l) => `${l.ifname} ${l.linkinfo?.info_kind ?? ''} ${l.master ?? ''} ${l.address ?? ''}`).sort(),
    addrs: (await globalAddrs(ns)).sort(),
  })));
  // iptables-save stamps its dumps with the time ("# Generated ... on <date>"): drop comment lines
  const rules = (dump: string) => dump.split('\n').filter((l) => !l.startsWith('#'));
  const nat = await natState(sb.host);
  const natRules = { iptables: rules(nat.iptables), ip6tables: rules(nat.ip6tables), nft: rules(nat.nft) };
  return { nsState, nat: natRules, state: await dirContents(sb.stateDir), cache: await dirContents(sb.cacheDir) };
}

// What the plugins keep on disk for a cell, to prove DEL released it: host-local reservation files, dnsmasq-ipam
// attachment records and leases, and the runtime's own result cache.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cell } from '../matrix.ts';
import type { Sandbox } from './sandbox.ts';

async function files(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
}

/** Descriptions of every reservation, record, lease or cache entry still present (empty = clean). */
export async function leftoverState(cell: Cell, sb: Sandbox): Promise<string[]> {
  const left: string[] = [];
  if (cell.ipam === 'host-local') {
    const dir = join(sb.stateDir, 'host-local', sb.network);
    // host-local keeps its lock and round-robin cursor files; any other file is an IP reservation
    for (const f of await files(dir)) if (f !== 'lock' && !f.startsWith('last_reserved_ip.')) left.push(`host-local reservation ${f}`);
  }
  if (cell.ipam === 'dnsmasq-ipam') {
    const dir = join(sb.stateDir, 'dnsmasq-ipam', sb.network);
    for (const f of await files(join(dir, 'attachments'))) left.push(`dnsmasq-ipam attachment record ${f}`);
    const leases = await readFile(join(dir, 'leases'), 'utf8').catch(() => '');
    for (const l of leases.split('\n').filter((x) => x.trim() !== '')) left.push(`dnsmasq lease ${l}`);
  }
  for (const f of await files(join(sb.cacheDir, 'results'))) left.push(`result cache entry ${f}`);
  return left;
}

// dnsmasq's lease database: "<expiry|0> <mac> <ip> <hostname|*> <client-id hex|*>" per line.
// dnsmasq rewrites the file in place (rewind, truncate, write) after every change, so a read can be empty or torn
// (28-34 % empty reads under churn in the design lab). Parsing is tolerant and the file is never the only source of
// truth: the plugin keeps its own attachment records and confirms with INFORM.
import { readFileSync } from 'node:fs';
import { ourClientIdText } from '../client-identity.ts';
import { parseIpv4 } from '../ipv4.ts';

export interface LeaseEntry {
  /** Unix seconds; 0 = infinite. */
  expiry: number;
  mac: string;
  address: number;
  hostname?: string;
  /** Raw option 61 bytes, type byte included. */
  clientId?: Uint8Array;
  /** "cni/…" when the client-id is one of ours. */
  cniClientId?: string;
}

const LINE = /^(\d+) (\S+) (\d{1,3}(?:\.\d{1,3}){3}) (\S+) (\S+)$/;

/** Every complete, well-formed IPv4 lease line; a torn last line (no newline) and anything else is skipped. */
export function parseLeaseFile(text: string): LeaseEntry[] {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const entries: LeaseEntry[] = [];
  for (const line of complete.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, expiry = '', mac = '', ip = '', hostname = '*', clid = '*'] = match;
    const address = parseIpv4(ip);
    if (address === undefined) continue;
    const entry: LeaseEntry = { expiry: Number(expiry), mac, address };
    if (hostname !== '*') entry.hostname = hostname;
    if (clid !== '*') {
      const clientId = parseColonHex(clid);
      if (!clientId) continue;
      entry.clientId = clientId;
      const ours = ourClientIdText(clientId);
      if (ours !== undefined) entry.cniClientId = ours;
    }
    entries.push(entry);
  }
  return entries;
}

function parseColonHex(text: string): Uint8Array | undefined {
  const parts = text.split(':');
  if (!parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return undefined;
  return Uint8Array.from(parts, (p) => Number.parseInt(p, 16));
}

/** The file's text without the lines of the given client-id; only for when dnsmasq is stopped (it reads at start). */
export function withoutClientId(text: string, cniClientId: string): string {
  return text
    .split(/(?<=\n)/)
    .filter((line) => !(line.endsWith('\n') && parseLeaseFile(line)[0]?.cniClientId === cniClientId))
    .join('');
}

/** The file's text; '' when it does not exist. (Synchronous: node:fs/promises costs a plugin run ~1.5 ms to load.) */
function readTextOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/**
 * A best-effort snapshot: reads until two reads agree (or `attempts` run out) and keeps the read with the most
 * leases, so one empty read during a rewrite does not look like "no leases". A missing file is no leases.
 */
export async function readLeaseSnapshot(path: string, attempts = 3): Promise<LeaseEntry[]> {
  let best: LeaseEntry[] = [];
  let previous: string | undefined;
  for (let i = 0; i < attempts; i++) {
    const text = readTextOrEmpty(path);
    const entries = parseLeaseFile(text);
    if (entries.length > best.length) best = entries;
    if (text === previous && text !== '') break;
    previous = text;
    if (i + 1 < attempts) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return best;
}

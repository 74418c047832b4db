// The plugin's own record of each attachment it leased (design §2.3): written after the ACK, removed after a
// confirmed release. dnsmasq's lease file is not a reliable real-time source (empty or torn reads under churn), so
// DEL and GC start from these records.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';

export interface AttachmentRecord {
  containerId: string;
  ifName: string;
  /** The client-id text ("cni/<id>/<if>" or its sha256 form). */
  clientId: string;
  /** Leased address, dotted. */
  address: string;
  prefix: number;
  mac: string;
  hostname: string;
}

const MAX_NAME = 255;

// node:crypto is loaded only for the rare over-long ids: loading it costs a plugin run ~3 ms of CPU.
const sha256hex = (s: string): string => process.getBuiltinModule('node:crypto').createHash('sha256').update(s).digest('hex');

/** `<containerID>_<ifname>.json`, or a hash of both when that would not fit in a file name. */
export function recordFileName(containerId: string, ifName: string): string {
  const plain = `${containerId}_${ifName}.json`;
  if (Buffer.byteLength(plain) <= MAX_NAME) return plain;
  return `sha256-${sha256hex(`${containerId}/${ifName}`)}.json`;
}

export async function writeRecord(dir: string, record: AttachmentRecord): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(join(dir, recordFileName(record.containerId, record.ifName)), `${JSON.stringify(record)}\n`);
}

/** The record of one attachment; undefined when missing, unreadable, or written for another attachment. */
export async function readRecord(dir: string, containerId: string, ifName: string): Promise<AttachmentRecord | undefined> {
  const record = await readRecordFile(join(dir, recordFileName(containerId, ifName)));
  return record && record.containerId === containerId && record.ifName === ifName ? record : undefined;
}

/** Removing a record that is already gone is success (DEL is idempotent). */
export async function removeRecord(dir: string, containerId: string, ifName: string): Promise<void> {
  rmSync(join(dir, recordFileName(containerId, ifName)), { force: true });
}

export async function listRecords(dir: string): Promise<AttachmentRecord[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readRecordFile(join(dir, n))));
  return records.filter((r): r is AttachmentRecord => r !== undefined);
}

async function readRecordFile(path: string): Promise<AttachmentRecord | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const value = JSON.parse(text) as Partial<AttachmentRecord>;
    const ok = typeof value.containerId === 'string' && typeof value.ifName === 'string' && typeof value.clientId === 'string' &&
      typeof value.address === 'string' && typeof value.prefix === 'number';
    return ok ? (value as AttachmentRecord) : undefined;
  } catch {
    return undefined; // a corrupt record is treated as absent: the lease file and GC still cover the lease
  }
}

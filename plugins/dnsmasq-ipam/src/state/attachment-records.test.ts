import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRecords, readRecord, recordFileName, removeRecord, writeRecord } from './attachment-records.ts';
import type { AttachmentRecord } from './attachment-records.ts';

const record = (containerId: string, address = '10.0.0.2'): AttachmentRecord => ({
  containerId, ifName: 'eth0', clientId: `cni/${containerId}/eth0`, address, prefix: 24, mac: '02:00:00:00:00:01', hostname: containerId,
});

describe('attachment records', () => {
  let dir = '';
  beforeEach(() => { dir = join(mkdtempSync(join(tmpdir(), 'dq-rec-')), 'attachments'); });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('writes atomically, reads back, lists and removes (twice)', async () => {
    await writeRecord(dir, record('c1'));
    await writeRecord(dir, record('c2'));
    await writeRecord(dir, record('c1', '10.0.0.9'));
    expect(readdirSync(dir).sort()).toEqual(['c1_eth0.json', 'c2_eth0.json']); // no temporary files left
    expect((await readRecord(dir, 'c1', 'eth0'))?.address).toBe('10.0.0.9');
    expect((await listRecords(dir)).map((r) => r.containerId).sort()).toEqual(['c1', 'c2']);
    await removeRecord(dir, 'c1', 'eth0');
    await removeRecord(dir, 'c1', 'eth0');
    expect(await readRecord(dir, 'c1', 'eth0')).toBeUndefined();
  });

  it('treats a missing directory, corrupt files and mismatched records as absent', async () => {
    expect(await listRecords(dir)).toEqual([]);
    await writeRecord(dir, record('c1'));
    writeFileSync(join(dir, 'junk_eth0.json'), '{"torn');
    writeFileSync(join(dir, 'a_b_eth0.json'), JSON.stringify(record('a')));
    expect(await readRecord(dir, 'junk', 'eth0')).toBeUndefined();
    expect(await readRecord(dir, 'a_b', 'eth0')).toBeUndefined();
    expect(await listRecords(dir)).toHaveLength(2);
  });

  it('hashes names that would not fit in a file name', () => {
    expect(recordFileName('x'.repeat(300), 'eth0')).toMatch(/^sha256-[0-9a-f]{64}\.json$/);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIp, parseIp } from '@cni-ts/ipam-core';
import { DiskStore, parseOwner } from './disk-store.ts';

const ip = (s: string) => parseIp(s)!;
let root: string;
let store: DiskStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'host-local-store-'));
  store = new DiskStore({ dir: join(root, 'data', 'net1'), lockTimeoutMs: 1000 });
  store.ensureDir();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe('DiskStore: the reference on-disk format', () => {
  it('writes <ip> = "<id>\\r\\n<ifname>" (0600) and last_reserved_ip.<N>, in a 0755 directory', async () => {
    expect(await store.reserve(ip('10.1.0.2'), { containerId: ' c1 ', ifName: 'eth0' }, 0)).toBe(true);
    expect(await store.reserve(ip('fd00::2'), { containerId: 'c1', ifName: 'eth0' }, 1)).toBe(true);
    expect(readFileSync(join(store.dir, '10.1.0.2'), 'utf8')).toBe('c1\r\neth0');
    expect(readFileSync(join(store.dir, 'last_reserved_ip.0'), 'utf8')).toBe('10.1.0.2');
    expect(readFileSync(join(store.dir, 'last_reserved_ip.1'), 'utf8')).toBe('fd00::2');
    expect(mode(join(store.dir, '10.1.0.2'))).toBe(0o600);
    expect(mode(store.dir) & 0o755).toBe(0o755);
    expect(readdirSync(store.dir).sort()).toEqual(['10.1.0.2', 'fd00::2', 'last_reserved_ip.0', 'last_reserved_ip.1']); // no temporary files left
  });

  it('refuses an address that is already reserved (create-if-absent) and leaves its owner alone', async () => {
    await store.reserve(ip('10.1.0.2'), { containerId: 'c1', ifName: 'eth0' }, 0);
    expect(await store.reserve(ip('10.1.0.2'), { containerId: 'c2', ifName: 'eth0' }, 0)).toBe(false);
    expect(readFileSync(join(store.dir, '10.1.0.2'), 'utf8')).toBe('c1\r\neth0');
    expect(readdirSync(store.dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('lists reservations, parsing exact, legacy and empty records, and skips everything else', async () => {
    writeFileSync(join(store.dir, '10.1.0.2'), 'c1\r\neth0');
    writeFileSync(join(store.dir, '10.1.0.3'), 'legacy-id\n'); // written by an old host-local
    writeFileSync(join(store.dir, '10.1.0.4'), ''); // left by a writer that crashed (plugins#498)
    writeFileSync(join(store.dir, 'fd00::9'), 'c2\r\neth1');
    for (const other of ['lock', 'last_reserved_ip.0', '.cni-ts-tmp-x', 'README', '010.1.0.5', 'FD00::1']) writeFileSync(join(store.dir, other), 'x');
    const list = (await store.list()).map((r) => [formatIp(r.ip), r.owner]).sort(([a], [b]) => String(a).localeCompare(String(b)));
    expect(list).toEqual([
      ['10.1.0.2', { containerId: 'c1', ifName: 'eth0' }],
      ['10.1.0.3', { containerId: 'legacy-id' }],
      ['10.1.0.4', undefined],
      ['fd00::9', { containerId: 'c2', ifName: 'eth1' }],
    ]);
  });

  it('releases idempotently and reads the cursor back (garbage means no cursor)', async () => {
    await store.reserve(ip('10.1.0.7'), { containerId: 'c1', ifName: 'eth0' }, 0);
    await store.release(ip('10.1.0.7'));
    await store.release(ip('10.1.0.7'));
    expect(await store.list()).toEqual([]);
    expect(formatIp((await store.lastReserved(0))!)).toBe('10.1.0.7'); // the cursor survives a release
    writeFileSync(join(store.dir, 'last_reserved_ip.3'), 'garbage');
    expect(await store.lastReserved(3)).toBeUndefined();
    expect(await store.lastReserved(9)).toBeUndefined();
  });

  it('lists nothing for a directory that does not exist', async () => {
    expect(await new DiskStore({ dir: join(root, 'nope'), lockTimeoutMs: 10 }).list()).toEqual([]);
  });

  it('sweeps temporary files left by a dead writer', () => {
    writeFileSync(join(store.dir, '.cni-ts-tmp-10.1.0.9-123-abc'), 'c9\r\neth0');
    writeFileSync(join(store.dir, '10.1.0.2'), 'c1\r\neth0');
    expect(store.sweepTemporaryFiles()).toEqual(['.cni-ts-tmp-10.1.0.9-123-abc']);
    expect(readdirSync(store.dir)).toEqual(['10.1.0.2']);
  });

  it('sweeps them on every exclusive section (a DEL after a killed ADD leaves no file)', async () => {
    writeFileSync(join(store.dir, '.cni-ts-tmp-10.1.0.9-123-abc'), 'c9\r\neth0');
    await store.exclusive(async () => undefined);
    expect(readdirSync(store.dir).sort()).toEqual(['lock']);
    expect(store.swept).toEqual(['.cni-ts-tmp-10.1.0.9-123-abc']);
  });
});

describe('parseOwner', () => {
  it.each([
    ['c1\r\neth0', { containerId: 'c1', ifName: 'eth0' }],
    ['  c1\r\neth0\n', { containerId: 'c1', ifName: 'eth0' }],
    ['c1', { containerId: 'c1' }],
    ['', undefined],
    [' \n', undefined],
  ])('%j', (content, owner) => {
    expect(parseOwner(content)).toEqual(owner);
  });
});

describe('exclusive: an flock with a deadline', () => {
  it('serialises holders and fails with code 11 when the deadline passes', async () => {
    const quick = new DiskStore({ dir: store.dir, lockTimeoutMs: 150 });
    let inner: unknown;
    const started = Date.now();
    await store.exclusive(async () => {
      // a second open file description conflicts with the first, even within one process
      inner = await quick.exclusive(async () => 'got it').catch((e: unknown) => e);
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(inner).toMatchObject({ name: 'CniError', code: 11 });
    expect((inner as Error).message).toMatch(/^timed out after 150 ms waiting for the lock .*\/net1\/lock \(ipam\.lockTimeoutMs\)$/);
    expect(await quick.exclusive(async () => 'free again')).toBe('free again');
  });

  it('waits for a holder that lets go in time', async () => {
    let release!: () => void;
    const holding = store.exclusive(() => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const waiter = new DiskStore({ dir: store.dir, lockTimeoutMs: 2000 }).exclusive(async () => 'after');
    setTimeout(() => release(), 100);
    await holding;
    expect(await waiter).toBe('after');
  });
});

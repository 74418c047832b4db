// Structural proof that a reservation is never visible half-written: the record's final name only ever comes into
// existence through link() of a temporary file that already holds the complete, fsynced content. (The parallel
// observer in test/concurrency.test.ts checks the same from outside, but a tiny window could escape it.)
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseIp } from '@cni-ts/ipam-core';
import { DiskStore } from './disk-store.ts';

const real = vi.hoisted(() => ({}) as { fs?: typeof import('node:fs') });
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  real.fs = actual;
  return { ...actual, linkSync: vi.fn(actual.linkSync), openSync: vi.fn(actual.openSync), fsyncSync: vi.fn(actual.fsyncSync) };
});

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe('DiskStore.reserve', () => {
  it('creates the record only by linking a complete, fsynced temporary file', async () => {
    const root = fs.mkdtempSync(join(tmpdir(), 'host-local-atomic-'));
    roots.push(root);
    const store = new DiskStore({ dir: join(root, 'net'), lockTimeoutMs: 100 });
    store.ensureDir();
    const final = join(store.dir, '10.1.0.2');
    const events: string[] = [];
    vi.mocked(fs.fsyncSync).mockImplementation((fd) => {
      events.push('fsync');
      real.fs!.fsyncSync(fd);
    });
    vi.mocked(fs.linkSync).mockImplementation((from, to) => {
      // at the instant the name appears its content is already whole, and the name did not exist before
      events.push(`link → ${String(to) === final ? 'record' : String(to)}: ${JSON.stringify(real.fs!.readFileSync(from, 'utf8'))}`);
      expect(real.fs!.existsSync(final)).toBe(false);
      real.fs!.linkSync(from, to);
    });

    expect(await store.reserve(parseIp('10.1.0.2')!, { containerId: 'c1', ifName: 'eth0' }, 0)).toBe(true);

    expect(events).toEqual(['fsync', 'link → record: "c1\\r\\neth0"']);
    expect(vi.mocked(fs.openSync).mock.calls.map(([p]) => String(p))).not.toContain(final); // never opened for writing
    expect(fs.readFileSync(final, 'utf8')).toBe('c1\r\neth0');
  });

  it('leaves nothing behind when the name is taken', async () => {
    const root = fs.mkdtempSync(join(tmpdir(), 'host-local-atomic-'));
    roots.push(root);
    const store = new DiskStore({ dir: join(root, 'net'), lockTimeoutMs: 100 });
    store.ensureDir();
    fs.writeFileSync(join(store.dir, '10.1.0.2'), 'other\r\neth0');
    expect(await store.reserve(parseIp('10.1.0.2')!, { containerId: 'c1', ifName: 'eth0' }, 0)).toBe(false);
    expect(fs.readdirSync(store.dir)).toEqual(['10.1.0.2']); // no temporary file, no cursor
    expect(fs.readFileSync(join(store.dir, '10.1.0.2'), 'utf8')).toBe('other\r\neth0');
  });
});

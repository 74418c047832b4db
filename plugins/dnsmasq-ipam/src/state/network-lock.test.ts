import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NetworkLock } from './network-lock.ts';

describe('NetworkLock', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'dq-lock-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shares SH, excludes EX, and times out with 11 instead of hanging', async () => {
    const path = join(dir, 'lock');
    const a = await NetworkLock.acquire(path, 'shared');
    const b = await NetworkLock.acquire(path, 'shared', 100);
    await expect(NetworkLock.acquire(path, 'exclusive', 50)).rejects.toMatchObject({ code: 11, msg: `timed out after 50 ms waiting for lock ${path}` });
    a.release();
    const waiting = NetworkLock.acquire(path, 'exclusive', 2000);
    setTimeout(() => b.release(), 30);
    const ex = await waiting; // granted once the last SH holder lets go
    await expect(NetworkLock.acquire(path, 'shared', 50)).rejects.toMatchObject({ code: 11 });
    ex.release();
    ex.release(); // idempotent
    (await NetworkLock.acquire(path, 'exclusive', 50)).release();
  });
});

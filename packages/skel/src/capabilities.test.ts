// Declared capabilities: the CapEff mask is read from /proc, and missing ones are named in a code-999 error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveCapabilities, requireCapabilities } from './capabilities.ts';
import { isCniError } from './errors.ts';

const NET_ADMIN = 1n << 12n;
const SYS_ADMIN = 1n << 21n;

describe('effectiveCapabilities', () => {
  it('reads CapEff from a status file; undefined when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skel-caps-'));
    try {
      writeFileSync(join(dir, 'status'), 'Name:\tx\nCapInh:\t0000000000000000\nCapEff:\t0000000000201000\nCapBnd:\t000001ffffffffff\n');
      expect(effectiveCapabilities(join(dir, 'status'))).toBe(NET_ADMIN | SYS_ADMIN);
      expect(effectiveCapabilities(join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reads this process (tests run as root: CAP_NET_ADMIN is there)', () => {
    expect(typeof effectiveCapabilities()).toBe('bigint');
  });
});

describe('requireCapabilities', () => {
  it('passes when every capability is effective, or when /proc cannot tell', () => {
    expect(() => requireCapabilities('bridge', ['net_admin', 'sys_admin'], NET_ADMIN | SYS_ADMIN)).not.toThrow();
    expect(() => requireCapabilities('bridge', ['net_admin'], undefined)).not.toThrow();
    expect(() => requireCapabilities('host-local', [], 0n)).not.toThrow();
  });
  it('names what is needed and what is missing', () => {
    let err: unknown;
    try {
      requireCapabilities('bridge', ['net_admin', 'sys_admin'], SYS_ADMIN);
    } catch (e) {
      err = e;
    }
    expect(isCniError(err) && err.toJSON()).toMatchObject({
      code: 999,
      msg: 'bridge needs CAP_NET_ADMIN, CAP_SYS_ADMIN: this process lacks CAP_NET_ADMIN',
      details: expect.stringContaining('run the plugin as root'),
    });
  });
});

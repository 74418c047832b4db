import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLeaseFile, readLeaseSnapshot, withoutClientId } from './lease-file.ts';
import { parseIpv4 } from '../ipv4.ts';

const hex = (s: string): string => Buffer.from(`\0${s}`).toString('hex').match(/../g)?.join(':') ?? '';
const web1 = `0 02:42:ac:11:00:02 10.202.0.11 web1 ${hex('cni/c1/eth0')}\n`;
const web2 = `0 02:42:ac:11:00:03 10.202.0.12 * ${hex('cni/c2/eth0')}\n`;
const foreign = '1732780000 02:42:ac:11:00:04 10.202.0.13 laptop 01:02:42:ac:11:00:04\n';

describe('parseLeaseFile', () => {
  it('reads dnsmasq lines, ours and foreign', () => {
    const leases = parseLeaseFile(web1 + web2 + foreign);
    expect(leases).toHaveLength(3);
    expect(leases[0]).toMatchObject({ expiry: 0, mac: '02:42:ac:11:00:02', address: parseIpv4('10.202.0.11'), hostname: 'web1', cniClientId: 'cni/c1/eth0' });
    expect(leases[1]?.hostname).toBeUndefined();
    expect(leases[2]).toMatchObject({ expiry: 1732780000, hostname: 'laptop' });
    expect(leases[2]?.cniClientId).toBeUndefined();
  });

  it('tolerates empty and torn reads, junk and DHCPv6 lines', () => {
    expect(parseLeaseFile('')).toEqual([]);
    expect(parseLeaseFile(web1 + web2.slice(0, 30))).toHaveLength(1);
    expect(parseLeaseFile(web1.slice(0, 40) + '\n' + web2)).toHaveLength(1);
    expect(parseLeaseFile('duid 00:01:00:01\n0 1234 fd00::5 x *\n' + web1)).toHaveLength(1);
    expect(parseLeaseFile('0 02:42:ac:11:00:02 10.202.0.11 web1 zz:00\n')).toEqual([]);
    expect(parseLeaseFile('0 02:42:ac:11:00:02 10.202.0.311 web1 *\n')).toEqual([]);
  });

  it('drops only the given client-id lines', () => {
    expect(withoutClientId(web1 + web2 + foreign, 'cni/c2/eth0')).toBe(web1 + foreign);
    expect(withoutClientId(web1, 'cni/zz/eth0')).toBe(web1);
  });
});

describe('readLeaseSnapshot', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file, and a missing file as no leases', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dq-leases-'));
    expect(await readLeaseSnapshot(join(dir, 'leases'))).toEqual([]);
    writeFileSync(join(dir, 'leases'), web1 + web2);
    expect(await readLeaseSnapshot(join(dir, 'leases'))).toHaveLength(2);
  });
});

// Golden bytes for address messages captured from the kernel (scripts/capture-kernel.ts).
import { describe, expect, test } from 'vitest';
import { toAddress } from '../handle/address-view.ts';
import { NLM_F, RTM } from '../message/constants.ts';
import { messageCodec } from '../message/header.ts';
import { fixture } from '../testing/fixture.ts';
import { roundTrip } from '../testing/round-trip.ts';
import { AF } from '../sys/constants.ts';
import { IFA_F, addressMessageBody } from './address.ts';

const address = messageCodec(addressMessageBody);
const forever = 0xffffffff;

describe('kernel address messages', () => {
  test('IPv4 with broadcast and label', () => {
    const m = roundTrip(address, fixture('addr-ipv4.hex'));
    expect(m.header).toMatchObject({ type: RTM.NEWADDR, flags: NLM_F.MULTI });
    expect(m.body).toMatchObject({ family: AF.INET, prefixLen: 24, scope: 0, index: 2, flags: IFA_F.PERMANENT });
    const a = m.body.attrs;
    expect([a.address?.toString(), a.local?.toString(), a.broadcast?.toString(), a.label]).toEqual(['10.1.0.1', '10.1.0.1', '10.1.0.255', 'br0']);
    expect(a.cacheInfo).toMatchObject({ preferred: forever, valid: forever });
    expect(toAddress(m.body)).toMatchObject({ family: 4, prefixLen: 24, tentative: false, dadFailed: false, permanent: true, label: 'br0' });
  });

  test('IPv6, nodad: permanent, not tentative (IFA_FLAGS is 32-bit)', () => {
    const m = roundTrip(address, fixture('addr-ipv6.hex'));
    expect(m.body).toMatchObject({ family: AF.INET6, prefixLen: 64, attrs: { flags: IFA_F.PERMANENT | IFA_F.NODAD } });
    expect(m.body.attrs.address?.toString()).toBe('fd00::1');
    expect(toAddress(m.body)).toMatchObject({ family: 6, tentative: false, dadFailed: false });
  });

  test('IPv6 while duplicate address detection runs: IFA_F_TENTATIVE', () => {
    const m = roundTrip(address, fixture('addr-ipv6-tentative.hex'));
    expect(m.body.attrs.flags).toBe(IFA_F.PERMANENT | IFA_F.TENTATIVE);
    expect(toAddress(m.body)).toMatchObject({ tentative: true, dadFailed: false });
  });

  test('IPv6 after DAD found a duplicate: IFA_F_DADFAILED (and still tentative)', () => {
    const m = roundTrip(address, fixture('addr-ipv6-dadfailed.hex'));
    expect(m.body.attrs.flags).toBe(IFA_F.PERMANENT | IFA_F.TENTATIVE | IFA_F.DADFAILED);
    expect(m.body.attrs.address?.toString()).toBe('fd00::5');
    expect(toAddress(m.body)).toMatchObject({ tentative: true, dadFailed: true });
  });
});

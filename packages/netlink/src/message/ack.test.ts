// Golden bytes for the kernel's acks: an error with extended-ack text, a plain ack, and the end of a dump.
import { describe, expect, test } from 'vitest';
import { frames } from './header.ts';
import { decodeAck, decodeDone } from './ack.ts';
import { NLM_F, NLMSG, RTM } from './constants.ts';
import { fixture } from '../testing/fixture.ts';

const only = (bytes: Uint8Array) => {
  const all = [...frames(bytes)];
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe('acks', () => {
  test('NLMSG_ERROR with NLM_F_CAPPED | NLM_F_ACK_TLVS: errno, the echoed request header, the kernel text', () => {
    const { header, payload } = only(fixture('error-extack.hex'));
    expect(header.type).toBe(NLMSG.ERROR);
    expect(header.flags).toBe(NLM_F.CAPPED | NLM_F.ACK_TLVS);
    const ack = decodeAck(header.flags, payload);
    expect(ack.errno).toBe(95);
    expect(ack.request.type).toBe(RTM.NEWLINK);
    expect(ack.extAck?.message).toBe('Unknown device type');
  });

  test('a successful ack: error 0', () => {
    const { header, payload } = only(fixture('ack-ok.hex'));
    expect(header.flags).toBe(NLM_F.CAPPED);
    expect(decodeAck(header.flags, payload)).toMatchObject({ errno: 0, request: { type: RTM.SETLINK } });
  });

  test('NLMSG_DONE', () => {
    const { header, payload } = only(fixture('done.hex'));
    expect(header.type).toBe(NLMSG.DONE);
    expect(decodeDone(header.flags, payload)).toEqual({ errno: 0 });
  });
});

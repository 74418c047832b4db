import { describe, expect, test } from 'vitest';
import { isNetlinkError, NetlinkError } from '../errors.ts';
import { NLM_F, RTM } from '../message/constants.ts';
import { linkMessageBody, type LinkMessage } from '../route/link.ts';
import { ackFor, datagram, doneFor, FakeTransport, reply } from '../testing/fake-transport.ts';
import { Connection, DUMP_ATTEMPTS } from './connection.ts';

const empty: LinkMessage = { family: 0, linkType: 0, index: 0, flags: 0, change: 0, attrs: {} };
const linkReply = (seq: number, name: string, flags: number = NLM_F.MULTI): Uint8Array =>
  reply({ type: RTM.NEWLINK, flags, seq }, (w) => linkMessageBody.encode(w, { ...empty, attrs: { ifName: name } }));
const names = (links: LinkMessage[]): Array<string | undefined> => links.map((l) => l.attrs.ifName);

describe('Connection.request', () => {
  test('sends REQUEST|ACK plus the verb flags and returns on the ack', () => {
    const t = new FakeTransport((req) => [ackFor(req)]);
    const c = new Connection(t);
    expect(c.request(RTM.NEWLINK, NLM_F.CREATE | NLM_F.EXCL, linkMessageBody, empty)).toEqual([]);
    expect(t.sent[0]?.header).toMatchObject({ type: RTM.NEWLINK, flags: NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE | NLM_F.EXCL, seq: 1 });
  });

  test('a refused request throws NetlinkError with errno name, operation, extack text and subject', () => {
    const t = new FakeTransport((req) => [ackFor(req, 17, 'Link already exists')]);
    const c = new Connection(t);
    let err: unknown;
    try {
      c.request(RTM.NEWLINK, 0, linkMessageBody, empty, { subject: 'link "br0"' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetlinkError);
    expect(err).toMatchObject({ errno: 17, code: 'EEXIST', op: 'RTM_NEWLINK', extack: 'Link already exists', subject: 'link "br0"' });
    expect((err as Error).message).toBe('RTM_NEWLINK (link "br0") failed: EEXIST: Link already exists');
    expect(isNetlinkError(err, 'EEXIST')).toBe(true);
    expect(isNetlinkError(err, 'ENODEV')).toBe(false);
  });

  test('without extack the message falls back to the errno text; errno aliases match', () => {
    const t = new FakeTransport((req) => [ackFor(req, 95)]);
    const err = (() => { try { new Connection(t).request(RTM.NEWLINK, 0, linkMessageBody, empty); } catch (e) { return e; } })();
    expect(err).toMatchObject({ code: 'EOPNOTSUPP', extack: undefined });
    expect(isNetlinkError(err, 'ENOTSUP')).toBe(true);
    expect(() => isNetlinkError(err, 'ENOPE')).toThrow(/unknown errno name/);
  });

  test('a GET returns its reply before the ack; stale answers to other sequence numbers are skipped', () => {
    const t = new FakeTransport((req) => [
      datagram(linkReply(req.header.seq + 7, 'stale', 0), ackFor({ ...req, header: { ...req.header, seq: 99 } }, 22)),
      datagram(linkReply(req.header.seq, 'eth0', 0), ackFor(req)),
    ]);
    const got = new Connection(t).request(RTM.GETLINK, 0, linkMessageBody, empty, { replyCodec: linkMessageBody });
    expect(names(got)).toEqual(['eth0']);
  });
});

describe('Connection.dump', () => {
  test('collects every message across datagrams until NLMSG_DONE', () => {
    const t = new FakeTransport((req) => [
      datagram(linkReply(req.header.seq, 'lo'), linkReply(req.header.seq, 'br0')),
      datagram(linkReply(req.header.seq, 'eth0'), doneFor(req)),
    ]);
    const c = new Connection(t);
    expect(names(c.dump(RTM.GETLINK, linkMessageBody, empty, linkMessageBody))).toEqual(['lo', 'br0', 'eth0']);
    expect(t.sent[0]?.header.flags).toBe(NLM_F.REQUEST | NLM_F.DUMP);
  });

  test('a dump flagged NLM_F_DUMP_INTR is restarted, and the consistent retry is returned', () => {
    let attempt = 0;
    const t = new FakeTransport((req) => {
      attempt++;
      if (attempt === 1) return [datagram(linkReply(req.header.seq, 'old', NLM_F.MULTI | NLM_F.DUMP_INTR), doneFor(req, NLM_F.DUMP_INTR))];
      return [datagram(linkReply(req.header.seq, 'lo'), linkReply(req.header.seq, 'new'), doneFor(req))];
    });
    const got = new Connection(t).dump(RTM.GETLINK, linkMessageBody, empty, linkMessageBody);
    expect(names(got)).toEqual(['lo', 'new']);
    expect(t.sent).toHaveLength(2);
  });

  test(`a dump interrupted ${DUMP_ATTEMPTS} times in a row fails with EINTR`, () => {
    const t = new FakeTransport((req) => [datagram(linkReply(req.header.seq, 'x', NLM_F.MULTI | NLM_F.DUMP_INTR), doneFor(req))]);
    const err = (() => { try { new Connection(t).dump(RTM.GETLINK, linkMessageBody, empty, linkMessageBody); } catch (e) { return e; } })();
    expect(t.sent).toHaveLength(DUMP_ATTEMPTS);
    expect(err).toMatchObject({ name: 'NetlinkError', code: 'EINTR', op: 'RTM_GETLINK' });
    expect((err as Error).message).toMatch(/interrupted by concurrent changes \(NLM_F_DUMP_INTR\) 5 times/);
  });

  test('an error instead of a dump throws', () => {
    const t = new FakeTransport((req) => [ackFor(req, 95, 'dump not supported')]);
    expect(() => new Connection(t).dump(RTM.GETLINK, linkMessageBody, empty, linkMessageBody)).toThrow(
      'RTM_GETLINK failed: EOPNOTSUPP: dump not supported',
    );
  });
});

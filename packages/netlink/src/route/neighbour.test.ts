// Golden bytes for neighbour messages captured from the kernel (scripts/capture-kernel.ts).
import { describe, expect, test } from 'vitest';
import { toNeighbour } from '../handle/neighbour-ops.ts';
import { NLM_F, RTM } from '../message/constants.ts';
import { messageCodec } from '../message/header.ts';
import { fixture } from '../testing/fixture.ts';
import { roundTrip } from '../testing/round-trip.ts';
import { AF } from '../sys/constants.ts';
import { NUD, neighbourMessageBody } from './neighbour.ts';

const neighbour = messageCodec(neighbourMessageBody);

describe('kernel neighbour messages', () => {
  test('IPv4 permanent entry', () => {
    const m = roundTrip(neighbour, fixture('neigh-ipv4.hex'));
    expect(m.header).toMatchObject({ type: RTM.NEWNEIGH, flags: NLM_F.MULTI });
    expect(m.body).toMatchObject({ family: AF.INET, index: 2, state: NUD.PERMANENT, type: 1, attrs: { lladdr: '02:00:00:00:00:09', probes: 0 } });
    expect(m.body.attrs.dst?.toString()).toBe('10.1.0.9');
    expect(toNeighbour(m.body)).toMatchObject({ family: 4, index: 2, lladdr: '02:00:00:00:00:09', state: NUD.PERMANENT });
  });

  test('IPv6 permanent entry', () => {
    const m = roundTrip(neighbour, fixture('neigh-ipv6.hex'));
    expect(m.body).toMatchObject({ family: AF.INET6, state: NUD.PERMANENT, attrs: { lladdr: '02:00:00:00:00:19' } });
    expect(m.body.attrs.dst?.toString()).toBe('fd00::9');
  });
});

// Pure decode cost of one large kernel message (a bridge RTM_NEWLINK, ~60 attributes incl. nested), no I/O.
import { performance } from 'node:perf_hooks';
import { messageCodec } from '../src/message/header.ts';
import { linkMessageBody } from '../src/route/link.ts';
import { Reader } from '../src/codec/reader.ts';
import { readHexFixture } from '../src/testing/round-trip.ts';
const bytes = readHexFixture(`${process.cwd()}/src/__fixtures__/link-bridge.hex`);
const c = messageCodec(linkMessageBody);
for (let i = 0; i < 5000; i++) c.decode(new Reader(bytes));
const t0 = performance.now();
for (let i = 0; i < 50000; i++) c.decode(new Reader(bytes));
process.stdout.write(`decode link-bridge (${bytes.length} B): ${((performance.now() - t0) * 1000 / 50000).toFixed(2)} µs\n`);

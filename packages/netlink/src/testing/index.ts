// @cni-ts/netlink/testing: helpers for tests in any package. Not for product code.
export { tempNetns, ip, ipJson, uniqueName } from './temp-netns.ts';
export type { TempNetns } from './temp-netns.ts';
export { roundTrip, readHexFixture } from './round-trip.ts';
export { FakeTransport, fakeHandle, reply, ackFor, doneFor, datagram } from './fake-transport.ts';
export type { SentRequest, Responder } from './fake-transport.ts';

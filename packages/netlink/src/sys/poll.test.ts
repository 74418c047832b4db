import { afterEach, describe, expect, test } from 'vitest';
import { NetlinkSocket } from '../transport/netlink-socket.ts';
import { PollCanceller, waitReadable } from './poll.ts';

// A netlink socket of the test's own namespace: nothing is sent, so it never becomes readable.
const sockets: NetlinkSocket[] = [];
const quietFd = (): number => {
  const s = NetlinkSocket.open({ groups: [] });
  sockets.push(s);
  return s.fd;
};
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

describe('waitReadable with a PollCanceller', () => {
  test('abort ends a pending wait with false, long before its timeout', async () => {
    const canceller = new PollCanceller();
    const started = Date.now();
    const wait = waitReadable(quietFd(), 10_000, canceller);
    setTimeout(() => canceller.abort(), 5);
    await expect(wait).resolves.toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('after abort, a new wait resolves false at once; abort is idempotent and ends every waiter', async () => {
    const canceller = new PollCanceller();
    const waits = [waitReadable(quietFd(), 10_000, canceller), waitReadable(quietFd(), 10_000, canceller)];
    canceller.abort();
    canceller.abort();
    await expect(Promise.all(waits)).resolves.toEqual([false, false]);
    expect(canceller.aborted).toBe(true);
    await expect(waitReadable(quietFd(), 10_000, canceller)).resolves.toBe(false);
  });

  test('without an abort the timeout still ends the wait; an AbortSignal is still accepted', async () => {
    await expect(waitReadable(quietFd(), 20, new PollCanceller())).resolves.toBe(false);
    const controller = new AbortController();
    const wait = waitReadable(quietFd(), 10_000, controller.signal);
    controller.abort();
    await expect(wait).resolves.toBe(false);
  });
});

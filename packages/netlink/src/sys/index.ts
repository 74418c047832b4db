// @cni-ts/netlink/sys: the libc calls behind the netlink transport, for code that needs raw sockets, namespace
// windows or file locks (dnsmasq-ipam's DHCP client, host-local's lock). Every prototype lives in libc.ts.
// All calls are synchronous and throw SysError (errno name in `code`) on failure.

// Errors
export { SysError, isSysError, errnoName, errnoValue } from './sys-error.ts';
export { NetnsNotFoundError, NotNetnsError, isNetnsNotFoundError, isNotNetnsError } from './netns-errors.ts';

// Constants (kernel names)
export { AF, SOCK, IPPROTO, SOL, SO, MSG, LOCK, CLONE_NEWNET, NSFS_MAGIC, PROC_SUPER_MAGIC } from './constants.ts';

// Sockets
export {
  socket,
  bind,
  send,
  sendto,
  recv,
  recvfrom,
  setsockoptInt,
  setsockoptBuffer,
  setsockoptString,
  close,
} from './socket.ts';
export { sockaddrIn, parseSockaddrIn, sockaddrNl } from './sockaddr.ts';
export { waitReadable, PollCanceller, type PollSignal } from './poll.ts';
export { UdpSocket } from './udp-socket.ts';
export type { UdpSocketOptions, Datagram } from './udp-socket.ts';

// Programs (a synchronous spawn without node:child_process)
export { runProgram } from './spawn.ts';
export type { RunProgramOptions, RunProgramResult } from './spawn.ts';

// Namespaces
export { setns } from './setns.ts';
export { openNetns, withNetns, warmThreadpool, CURRENT_NETNS_PATH } from './netns.ts';

// Locks
export { flock, flockWithDeadline, tryFlock } from './flock.ts';

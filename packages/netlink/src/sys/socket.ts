// Thin, throwing wrappers over the socket calls in libc.ts. Each returns a value >= 0 or throws a SysError
// carrying the errno name. EINTR is retried where a signal can interrupt a blocking call.
import { lastErrno, libc } from './libc.ts';
import { SOCK } from './constants.ts';
import { SysError } from './sys-error.ts';

const EINTR = 4;

function check(syscall: string, ret: number): number {
  if (ret < 0) throw new SysError(syscall, lastErrno());
  return ret;
}

/** socket(2). SOCK_CLOEXEC is always added: no child process may inherit a namespace-bound socket. */
export function socket(domain: number, type: number, protocol: number): number {
  return check('socket', libc().socket(domain, type | SOCK.CLOEXEC, protocol));
}

/** bind(2) with a sockaddr built by sockaddr.ts. */
export function bind(fd: number, addr: Uint8Array): number {
  return check('bind', libc().bind(fd, addr, addr.length));
}

/** send(2) of the whole buffer; returns the number of bytes sent. */
export function send(fd: number, data: Uint8Array, flags = 0): number {
  for (;;) {
    const n = libc().send(fd, data, data.length, flags);
    if (n >= 0) return n;
    const errno = lastErrno();
    if (errno !== EINTR) throw new SysError('send', errno);
  }
}

/** sendto(2) to a sockaddr (see sockaddrIn); returns the number of bytes sent. */
export function sendto(fd: number, data: Uint8Array, addr: Uint8Array, flags = 0): number {
  for (;;) {
    const n = libc().sendto(fd, data, data.length, flags, addr, addr.length);
    if (n >= 0) return n;
    const errno = lastErrno();
    if (errno !== EINTR) throw new SysError('sendto', errno);
  }
}

/**
 * recv(2) into `buf`; returns the datagram length. With MSG_TRUNC in flags the kernel returns the real length
 * even when it exceeds `buf`. With MSG_DONTWAIT and nothing queued it throws SysError code 'EAGAIN'.
 */
export function recv(fd: number, buf: Uint8Array, flags = 0): number {
  for (;;) {
    const n = libc().recv(fd, buf, buf.length, flags);
    if (n >= 0) return n;
    const errno = lastErrno();
    if (errno !== EINTR) throw new SysError('recv', errno);
  }
}

/** recvfrom(2): the datagram length and the sender's sockaddr bytes (parse with parseSockaddrIn). */
export function recvfrom(fd: number, buf: Uint8Array, flags = 0): { length: number; from: Uint8Array } {
  const addr = new Uint8Array(128); // sizeof(struct sockaddr_storage)
  const addrLen = new Uint8Array(4);
  for (;;) {
    new DataView(addrLen.buffer).setUint32(0, addr.length, true);
    const n = libc().recvfrom(fd, buf, buf.length, flags, addr, addrLen);
    if (n >= 0) {
      const len = new DataView(addrLen.buffer).getUint32(0, true);
      return { length: n, from: addr.subarray(0, Math.min(len, addr.length)) };
    }
    const errno = lastErrno();
    if (errno !== EINTR) throw new SysError('recvfrom', errno);
  }
}

/** setsockopt(2) with an int value (SO_BROADCAST, SO_REUSEADDR, NETLINK_EXT_ACK, ...). */
export function setsockoptInt(fd: number, level: number, name: number, value: number): void {
  const buf = new Uint8Array(4);
  new DataView(buf.buffer).setInt32(0, value, true);
  check(`setsockopt(${level}, ${name})`, libc().setsockopt(fd, level, name, buf, 4));
}

/** setsockopt(2) with a byte value, e.g. SO_BINDTODEVICE with a device name (see setsockoptString). */
export function setsockoptBuffer(fd: number, level: number, name: number, value: Uint8Array): void {
  check(`setsockopt(${level}, ${name})`, libc().setsockopt(fd, level, name, value, value.length));
}

/** setsockopt(2) with a NUL-terminated string value: `setsockoptString(fd, SOL.SOCKET, SO.BINDTODEVICE, 'eth0')`. */
export function setsockoptString(fd: number, level: number, name: number, value: string): void {
  const bytes = new TextEncoder().encode(`${value}\0`);
  setsockoptBuffer(fd, level, name, bytes);
}

/** close(2). Throws on EBADF so double closes are caught; EINTR still released the fd on Linux. */
export function close(fd: number): void {
  if (libc().close(fd) < 0) {
    const errno = lastErrno();
    if (errno !== EINTR) throw new SysError('close', errno);
  }
}

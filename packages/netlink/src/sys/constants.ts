// Linux values shared by x86-64 and arm64 (both use the asm-generic socket layout). Kernel names are kept so
// they grep against the headers: linux/socket.h, asm-generic/socket.h, linux/netlink.h, sys/file.h, linux/sched.h.

export const AF = { UNSPEC: 0, INET: 2, BRIDGE: 7, INET6: 10, NETLINK: 16, PACKET: 17 } as const;

export const SOCK = { STREAM: 1, DGRAM: 2, RAW: 3, NONBLOCK: 0o4000, CLOEXEC: 0o2000000 } as const;

export const IPPROTO = { IP: 0, UDP: 17 } as const;

export const SOL = { SOCKET: 1, NETLINK: 270 } as const;

export const SO = { REUSEADDR: 2, BROADCAST: 6, SNDBUF: 7, RCVBUF: 8, BINDTODEVICE: 25 } as const;

export const MSG = { PEEK: 0x2, TRUNC: 0x20, DONTWAIT: 0x40 } as const;

/** flock(2) operations; combine EX or SH with NB for a non-blocking attempt (fails with EAGAIN/EWOULDBLOCK). */
export const LOCK = { SH: 1, EX: 2, NB: 4, UN: 8 } as const;

/** setns(2) nstype for a network namespace. */
export const CLONE_NEWNET = 0x40000000;

/** ioctl on an nsfs file: which kind of namespace it is (linux/nsfs.h, _IO(0xb7, 0x3)). */
export const NS_GET_NSTYPE = 0xb703;

/** statfs f_type of nsfs (linux/magic.h NSFS_MAGIC) and of procfs, where namespace files lived before 3.19. */
export const NSFS_MAGIC = 0x6e736673;
export const PROC_SUPER_MAGIC = 0x9fa0;

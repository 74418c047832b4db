// Random bytes from the kernel. node:crypto would do, but loading it costs a plugin run ~3 ms of CPU (it pulls in
// the stream modules), and the xid and temporary file names are all we need randomness for.
import { closeSync, openSync, readSync } from 'node:fs';

export function randomBytes(n: number): Buffer {
  const bytes = Buffer.alloc(n);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let off = 0; off < n; ) off += readSync(fd, bytes, off, n - off, null);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

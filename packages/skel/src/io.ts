// The process boundary: env, stdin, stdout, stderr and argv, injected into the dispatcher so that every path
// can be tested in-process (house style A2.1). Writes are synchronous so that nothing is lost on exit.
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import type { DelegateRunner } from './delegate.ts';

export interface PluginIo {
  env: Record<string, string | undefined>;
  stdin: () => Promise<Buffer>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  argv: string[];
  stdinIsTTY: boolean;
  /** how delegated plugins run; default: execute them from CNI_PATH */
  delegateRunner?: DelegateRunner;
}

function writeAll(fd: number, s: string): void {
  const buf = Buffer.from(s, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      // A non-blocking pipe that is full: wait (1 ms, without spinning) for the reader instead of dropping
      // protocol bytes.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

async function readStdin(): Promise<Buffer> {
  try {
    return readFileSync(0);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EBADF') return Buffer.alloc(0); // no stdin at all: same as empty
    if (code !== 'EAGAIN') throw e;
  }
  // stdin is a non-blocking pipe: read it as a stream.
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

// Linux character-device majors of terminals: 4 (tty0-63, ttyS*), 5 (/dev/tty, console, ptmx), 136-143 (pts).
const ttyMajors = new Set([4, 5, 136, 137, 138, 139, 140, 141, 142, 143]);

/** isatty(0) without node:tty, which pulls in net and streams and costs a plugin ~1 ms at every start. */
function stdinIsTerminal(): boolean {
  try {
    const st = fstatSync(0);
    return st.isCharacterDevice() && ttyMajors.has(Math.floor(st.rdev / 256) % 4096);
  } catch {
    return false;
  }
}

export function processIo(): PluginIo {
  return {
    env: process.env,
    stdin: readStdin,
    stdout: (s) => writeAll(1, s),
    stderr: (s) => {
      try {
        writeAll(2, s);
      } catch {
        // stderr is informational; a closed stderr must not turn success into failure
      }
    },
    argv: process.argv,
    stdinIsTTY: stdinIsTerminal(),
  };
}

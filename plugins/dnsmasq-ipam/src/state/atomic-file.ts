// Whole-file replacement that readers never see half-written: write a temporary file beside the target, then
// rename(2) over it (atomic within one filesystem).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from '../random-bytes.ts';

export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  // The hex by hand: Buffer's toString('hex') compiles node's encoding lookup on first use, for 8 characters.
  const tmp = `${path}.${process.pid}.${Array.from(randomBytes(4), (b) => b.toString(16).padStart(2, '0')).join('')}.tmp`;
  try {
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

// Whole-file replacement that readers never see half-written: write a temporary file beside the target, then
// rename(2) over it (atomic within one filesystem).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from '../random-bytes.ts';

export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

// Locating dnsmasq. CNI runtimes often run plugins with a PATH that lacks the sbin directories, where Debian's
// dnsmasq-base installs it, so those are searched too (design §2.2, F0).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dnsmasqNotFound } from '../errors.ts';

function isExecutableFile(path: string): boolean {
  // existsSync first: most candidates are missing (several PATH entries are tried on every ADD), and accessSync
  // reports that by building a full fs error, whose text loads libuv's error table, only to drop it.
  if (!existsSync(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** ipam.dnsmasqPath when set (it must exist), else the first `dnsmasq` in PATH, /usr/sbin, /sbin. Throws F0 (100). */
export function findDnsmasq(configured: string | undefined, pathEnv: string | undefined): string {
  if (configured !== undefined) {
    if (isExecutableFile(configured)) return configured;
    throw dnsmasqNotFound(configured);
  }
  const dirs = [...(pathEnv ?? '').split(':').filter((d) => d.startsWith('/')), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'dnsmasq');
    if (isExecutableFile(candidate)) return candidate;
  }
  throw dnsmasqNotFound();
}

// Where one network's state lives (design §2.3). Every path is absolute: dnsmasq chdir("/")s when it daemonises,
// so a relative pid-file would land in "/" (measured in the design lab).
import { join } from 'node:path';

export interface NetworkPaths {
  /** runDir/<network>, mode 0700. */
  dir: string;
  conf: string;
  pid: string;
  leases: string;
  log: string;
  /** flock(2) target: EX to start, stop or edit dnsmasq state; SH for DHCP exchanges. */
  lock: string;
  attachments: string;
}

export function networkPaths(runDir: string, network: string): NetworkPaths {
  const dir = join(runDir, network);
  return {
    dir,
    conf: join(dir, 'dnsmasq.conf'),
    pid: join(dir, 'dnsmasq.pid'),
    leases: join(dir, 'leases'),
    log: join(dir, 'dnsmasq.log'),
    lock: join(dir, 'lock'),
    attachments: join(dir, 'attachments'),
  };
}

// Step 5 of ADD: the host end joins the bridge; hairpin and isolation are always written (on or off), as in
// the reference. Then step 6: the port's VLANs.
import type { Handle, Link } from '@cni-ts/netlink';
import { failure } from '../errors.ts';
import { programPortVlans, type PortVlans } from './port-vlans.ts';

export interface PortOptions extends PortVlans {
  bridge: Link;
  hairpin: boolean;
  isolated: boolean;
}

export async function attachPort(host: Handle, port: Link, opts: PortOptions): Promise<void> {
  const { bridge } = opts;
  try {
    await host.link.set({ index: port.index }, { masterIndex: bridge.index });
  } catch (err) {
    throw failure(`failed to connect "${port.name}" to bridge ${bridge.name}`, err);
  }
  try {
    await host.link.setBridgePort({ index: port.index }, { hairpin: opts.hairpin, isolated: opts.isolated });
  } catch (err) {
    throw failure(`failed to setup hairpin mode for ${port.name}`, err);
  }
  await programPortVlans(host, port, opts);
}

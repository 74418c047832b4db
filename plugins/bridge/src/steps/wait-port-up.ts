// Step 11 of ADD: the host end of the veth must reach oper-state UP (the container end is up, the bridge port is
// forwarding). The reference polls with sleeps of 0, 50, 500, 1000 and 1000 ms; we wait on link events, so a
// port that comes up in 1 ms costs 1 ms. The timeout is generous because under load (many parallel ADDs) the
// kernel can take longer than the reference's 2.55 s, and waiting costs nothing while it is not needed.
import { type Handle, isWaitTimeoutError, type Link } from '@cni-ts/netlink';

const PORT_UP_TIMEOUT_MS = 10_000;

export async function waitPortUp(host: Handle, port: Link): Promise<Link> {
  try {
    return await host.link.waitOperUp({ index: port.index }, { timeoutMs: PORT_UP_TIMEOUT_MS });
  } catch (err) {
    if (!isWaitTimeoutError(err)) throw err;
    const now = await host.link.get({ index: port.index });
    throw new Error(`bridge port in error state: ${now.operState}`, { cause: err });
  }
}

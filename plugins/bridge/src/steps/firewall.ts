// The firewall steps of ADD, loaded lazily: most configs set neither ipMasq nor macspoofchk, and those should
// not pay for parsing this code at start-up. Each returns the undo to register.
import type { Logger } from '@cni-ts/skel';
import type { IpNet } from '../ipnet.ts';
import type { MasqBackendName } from '../firewall/ipmasq.ts';

type Env = Readonly<Record<string, string | undefined>>;

export async function addSpoofcheck(
  env: Env,
  target: { containerId: string; ifName: string; hostVeth: string; mac: string },
): Promise<() => Promise<void>> {
  const [{ systemRunner }, { setupSpoofcheck, teardownSpoofcheck }] = await Promise.all([
    import('../firewall/command.ts'),
    import('../firewall/spoofcheck.ts'),
  ]);
  const runner = systemRunner(env);
  await setupSpoofcheck(runner, target);
  return () => teardownSpoofcheck(runner, target);
}

export async function addIpMasq(
  env: Env,
  opts: { backend: MasqBackendName | undefined; network: string; containerId: string; ifName: string; addresses: readonly IpNet[] },
  log: Logger,
): Promise<() => Promise<void>> {
  const [{ systemRunner }, { chooseMasqBackend }] = await Promise.all([import('../firewall/command.ts'), import('../firewall/ipmasq.ts')]);
  const backend = chooseMasqBackend(systemRunner(env), opts.backend);
  const owner = { network: opts.network, containerId: opts.containerId, ifName: opts.ifName };
  log.debug('ipMasq', { backend: backend.name });
  await backend.setup(owner, opts.addresses);
  return () => backend.teardown(owner, opts.addresses);
}

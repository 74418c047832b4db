// Entry of the bundle test (bundle.netns.test.ts): a plugin-like script using the package, bundled the way
// scripts/bundle.mjs bundles plugins and run from an empty directory. Args: <host netns path> <container netns path>.
import { readFile } from 'node:fs/promises';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { openHandle } from '../index.ts';
import { UdpSocket } from '../sys/index.ts';

async function main(): Promise<void> {
  const [hostPath, ctrPath] = process.argv.slice(2);
  // The first async work of the process happens inside openHandle: it must warm the pool before switching.
  await using host = await openHandle({ netns: hostPath! });
  await using ctr = await openHandle({ netns: ctrPath! });
  const veth = await host.link.add({ kind: 'veth', name: 'veth-b', up: true, peer: { name: 'eth0', netns: ctr } });
  const eth0 = await ctr.link.get({ name: 'eth0' });
  await ctr.link.setUp({ index: eth0.index });
  await ctr.address.add({ index: eth0.index, address: ipaddr.parse('10.77.0.2'), prefixLen: 24 });
  await ctr.sysctl.set('net.ipv4.ip_default_ttl', 33);
  using udp = UdpSocket.open({ netns: ctrPath!, device: 'eth0', bind: { port: 0 } });
  const asyncTtl = await readFile('/proc/sys/net/ipv4/ip_default_ttl', 'utf8');
  const threads = new Set(readdirSync('/proc/self/task').map((t) => readlinkSync(`/proc/self/task/${t}/ns/net`)));
  process.stdout.write(
    `${JSON.stringify({
      hostLinks: (await host.link.list()).map((l) => l.name).sort(),
      ctrLinks: (await ctr.link.list()).map((l) => l.name).sort(),
      peerIndex: veth.linkIndex === eth0.index,
      addresses: (await ctr.address.list({ index: eth0.index, family: 4 })).map((a) => `${a.address.toString()}/${a.prefixLen}`),
      ctrTtl: await ctr.sysctl.get('net.ipv4.ip_default_ttl'),
      asyncTtlMatchesHost: asyncTtl === readFileSync('/proc/sys/net/ipv4/ip_default_ttl', 'utf8'),
      threadNamespaces: threads.size,
      udpFd: udp.fd > 2,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});

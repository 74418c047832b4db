// In-process cost per request, against a throwaway namespace. Bundled and run by bench.mjs (not a test).
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import ipaddr from 'ipaddr.js';
import { openHandle } from '../src/index.ts';

const ns = `nlbench-${process.pid.toString(36)}`;
const path = `/var/run/netns/${ns}`;

async function time(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const us = ((performance.now() - t0) * 1000) / n;
  process.stdout.write(`${label.padEnd(58)} ${us.toFixed(1).padStart(8)} µs/op  (n=${n})\n`);
}

async function main(): Promise<void> {
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const tOpen = performance.now();
    const first = await openHandle({ netns: path });
    const openMs = performance.now() - tOpen;
    const tReq = performance.now();
    await first.link.get({ index: 1 });
    process.stdout.write(`first openHandle (threadpool warm-up, setns, socket): ${openMs.toFixed(2)} ms; first request: ${(performance.now() - tReq).toFixed(2)} ms\n`);
    first.close();

    await using h = await openHandle({ netns: path });
    const v = await h.link.add({ kind: 'veth', name: 'v0', peer: { name: 'v1' } });
    let mtu = 1400;
    await time('link.get({ index }) (RTM_GETLINK, reply + ack)', 20_000, () => h.link.get({ index: 1 }));
    await time('link.get({ name })', 20_000, () => h.link.get({ name: 'v0' }));
    await time('link.set(mtu) (RTM_SETLINK + ack)', 20_000, () => h.link.set({ index: v.index }, { mtu: (mtu = mtu === 1400 ? 1401 : 1400) }));
    await time('link.list() (dump, 3 links)', 5_000, () => h.link.list());
    await time('address.add + address.delete (IPv4, add re-reads)', 5_000, async () => {
      await h.address.add({ index: v.index, address: ipaddr.parse('10.9.0.1'), prefixLen: 24 });
      await h.address.delete({ index: v.index, address: ipaddr.parse('10.9.0.1'), prefixLen: 24 });
    });
    await time('sysctl.get (setns window + /proc read)', 20_000, () => h.sysctl.get('net.ipv4.ip_forward'));
    await time('openHandle + close (setns window, socket, bind)', 5_000, async () => (await openHandle({ netns: path })).close());
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});

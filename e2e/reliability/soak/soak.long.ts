// Issue 10 item 3: the soak. 2,000 ADD/DEL cycles of bridge + host-local (dual stack, masquerading through both
// backends), 16 at a time, with the real executables in a throwaway host namespace and 16 container namespaces.
// Every invocation must succeed; at the end nothing may be left (addresses, links, rules, files); and latency
// and memory must be stable: the median of the last 100 cycles within bounds of the first 100's. A second phase
// runs 2,000 cycles in ONE long-lived process (the in-process worker) and watches its resident memory.
// Figures go to $CNI_TS_RELIABILITY_REPORTS/soak.json for RELIABILITY.md. Run: pnpm --filter @cni-ts/e2e soak.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Netns } from '../../harness/netns.ts';
import { leaks } from '../harness/leaks.ts';
import { execOnce } from '../harness/targets.ts';
import { World } from '../harness/world.ts';
import { median, writeReport } from '../faults/report.ts';

const CYCLES = Number(process.env.CNI_TS_SOAK_CYCLES ?? 2000);
const CONCURRENCY = Number(process.env.CNI_TS_SOAK_CONCURRENCY ?? 16);
const WINDOW = Math.min(100, Math.floor(CYCLES / 4));

interface Cycle {
  index: number;
  addMs: number;
  delMs: number;
  addRssKb: number;
  delRssKb: number;
}

/** `/usr/bin/time -f` appends this line to the plugin's stderr: the peak resident set of the process, in KiB. */
const TIME_FORMAT = 'cni-ts-soak-maxrss=%M';
const maxRss = (stderr: string) => Number(/cni-ts-soak-maxrss=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);

function stats(xs: readonly number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

it(`soak: ${CYCLES} ADD/DEL cycles at concurrency ${CONCURRENCY} leave nothing behind, with stable latency and memory`, async () => {
  await using world = await World.create({ kernel: true });
  const network = `soak-${world.suffix}`;
  const config = (backend: string) => JSON.stringify({
    cniVersion: '1.1.0', name: network, type: 'bridge', bridge: `sk${world.suffix}`, isGateway: true, ipMasq: true, ipMasqBackend: backend,
    ipam: { type: 'host-local', dataDir: world.dataDir, ranges: [[{ subnet: '10.96.0.0/22' }], [{ subnet: 'fd96::/112' }]] },
  });
  const containers: Netns[] = [];
  try {
    for (let k = 0; k < CONCURRENCY; k++) containers.push(await Netns.create(`sk${k}`));
    const cycles: Cycle[] = [];
    const failures: string[] = [];
    let next = 0;
    const started = Date.now();
    const lane = async (k: number) => {
      const stdin = Buffer.from(config(k % 2 === 0 ? 'iptables' : 'nftables'));
      for (let i = next++; i < CYCLES; i = next++) {
        const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: `soak-${i}`, CNI_IFNAME: 'eth0', CNI_NETNS: containers[k]!.path, CNI_PATH: world.binDir });
        const run = (command: string) => execOnce(join(world.binDir, 'bridge'), { plugin: 'bridge', env: env(command), stdin }, { netns: world.host!.name, timeoutMs: 60_000, prefix: ['/usr/bin/time', '-f', TIME_FORMAT] });
        const add = await run('ADD');
        if (add.code !== 0) failures.push(`cycle ${i} ADD: ${add.stdout.slice(0, 300)}`);
        const del = await run('DEL');
        if (del.code !== 0) failures.push(`cycle ${i} DEL: ${del.stdout.slice(0, 300)}`);
        cycles.push({ index: i, addMs: add.ms, delMs: del.ms, addRssKb: maxRss(add.stderr), delRssKb: maxRss(del.stderr) });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => lane(k)));
    const seconds = (Date.now() - started) / 1000;

    // Nothing left: reservations and debris, veths, container links, rules; the data directory holds only the lock
    // and the round-robin cursors.
    const left = await leaks(world, { hostLocal: true, kernel: true, firewall: true });
    for (const ns of containers) left.push(...(await world.worker().links(ns.path)).filter((l) => l.name !== 'lo').map((l) => `${ns.name}: ${l.name}`));
    const files = (await readdir(join(world.dataDir, network))).sort();

    cycles.sort((a, b) => a.index - b.index);
    const first = cycles.slice(0, WINDOW);
    const last = cycles.slice(-WINDOW);
    const m = (cs: Cycle[], f: (c: Cycle) => number) => median(cs.map(f));
    const figures = {
      cycles: cycles.length,
      concurrency: CONCURRENCY,
      invocations: cycles.length * 2,
      failures: failures.length,
      seconds: Math.round(seconds),
      cyclesPerSecond: Math.round((cycles.length / seconds) * 10) / 10,
      addMs: stats(cycles.map((c) => c.addMs)),
      delMs: stats(cycles.map((c) => c.delMs)),
      firstVsLast: {
        addMsMedian: [m(first, (c) => c.addMs), m(last, (c) => c.addMs)].map(Math.round),
        delMsMedian: [m(first, (c) => c.delMs), m(last, (c) => c.delMs)].map(Math.round),
        addMaxRssKbMedian: [m(first, (c) => c.addRssKb), m(last, (c) => c.addRssKb)],
        delMaxRssKbMedian: [m(first, (c) => c.delRssKb), m(last, (c) => c.delRssKb)],
      },
      leftovers: left.length,
      dataDirFiles: files,
    };
    writeReport('soak', figures);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(left).toEqual([]);
    expect(files).toEqual(['last_reserved_ip.0', 'last_reserved_ip.1', 'lock']);
    // Stable: the last hundred cycles are not slower (beyond the noise of a shared 2-core machine) nor bigger.
    const [addFirst, addLast] = figures.firstVsLast.addMsMedian as [number, number];
    const [rssFirst, rssLast] = figures.firstVsLast.addMaxRssKbMedian as [number, number];
    expect(addLast).toBeLessThan(addFirst * 1.5);
    expect(rssLast).toBeLessThan(rssFirst * 1.1);
  } finally {
    for (const ns of containers) await ns.destroy();
  }
});

it(`soak in one process: ${CYCLES} in-process ADD/DEL cycles, the long-lived process holds no more memory or descriptors`, async () => {
  await using world = await World.create({ kernel: true });
  const stdin = Buffer.from(JSON.stringify({
    cniVersion: '1.1.0', name: `soak1-${world.suffix}`, type: 'bridge', bridge: `s1${world.suffix}`, isGateway: true, ipMasq: true, ipMasqBackend: 'nftables',
    ipam: { type: 'host-local', dataDir: world.dataDir, ranges: [[{ subnet: '10.95.0.0/24' }], [{ subnet: 'fd95::/120' }]] },
  }));
  const samples: Array<{ cycle: number; heapMb: number; rssMb: number; openFds: number }> = [];
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  const sample = async (cycle: number) => {
    const m = await world.worker().memory(); // after a full GC: what the process really holds
    samples.push({ cycle, heapMb: mb(m.heapUsed), rssMb: mb(m.rss), openFds: m.openFds });
  };
  const ms: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < CYCLES; i++) {
    if (i % WINDOW === 0) await sample(i);
    const env = (command: string) => ({ CNI_COMMAND: command, CNI_CONTAINERID: `one-${i}`, CNI_IFNAME: 'eth0', CNI_NETNS: world.container!.path, CNI_PATH: world.binDir });
    const add = await world.run({ plugin: 'bridge', env: env('ADD'), stdin }, 'in-process', 60_000);
    const del = await world.run({ plugin: 'bridge', env: env('DEL'), stdin }, 'in-process', 60_000);
    if (add.code !== 0 || del.code !== 0) failures.push(`cycle ${i}: ${add.stdout.slice(0, 200)} ${del.stdout.slice(0, 200)}`);
    ms.push(add.ms);
  }
  await sample(CYCLES);
  const left = await leaks(world, { hostLocal: true, kernel: true, firewall: true });
  // The first sample is taken before any plugin code ran (modules still unloaded): compare from the second.
  const [warm, end] = [samples[1]!, samples[samples.length - 1]!];
  const figures = {
    cycles: CYCLES,
    failures: failures.length,
    heapMbAfterGc: { afterFirstWindow: warm.heapMb, atEnd: end.heapMb },
    rssMb: { afterFirstWindow: warm.rssMb, atEnd: end.rssMb },
    openFds: { afterFirstWindow: warm.openFds, atEnd: end.openFds },
    addMsFirstVsLast: [median(ms.slice(0, WINDOW)), median(ms.slice(-WINDOW))].map(Math.round),
    samples,
    leftovers: left.length,
  };
  writeReport('soak-in-process', figures);
  expect(failures.slice(0, 10)).toEqual([]);
  expect(left).toEqual([]);
  expect(end.openFds).toBeLessThanOrEqual(warm.openFds); // a descriptor kept per cycle would show as thousands
  expect(end.heapMb).toBeLessThan(warm.heapMb * 1.2 + 2); // a leak of 1 KB per cycle would show as +2 MB
});

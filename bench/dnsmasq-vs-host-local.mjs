#!/usr/bin/env node
// dnsmasq-ipam against host-local under the same bridge plugin (issue 9, item 4): two networks with the same bridge
// settings (ours, isGateway, cniVersion 1.0.0), one with host-local IPAM and one with dnsmasq-ipam, measured in
// alternation at concurrency 1, in the harness style of cni-bench (spawn → close around /usr/bin/time, clean env).
// Runs as root inside a throwaway network namespace (bench/lib/sandbox.mjs); the dnsmasq it starts is stopped by
// a GC at the end (and by its pid, if that failed).
//
//   node bench/dnsmasq-vs-host-local.mjs [--bin DIR] [--samples N] [--json FILE]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inSandbox, invoke, ip, netnsAdd, netnsDel, percentile, stopDnsmasq, SYS_PATH } from './lib/sandbox.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    bin: { type: 'string', default: resolve(here, '../dist/bin') },
    samples: { type: 'string', default: '30' },
    json: { type: 'string' },
  },
});
const sandbox = await inSandbox('dq', fileURLToPath(import.meta.url), process.argv.slice(2));
if (!sandbox.inside) process.exit(sandbox.code);

const bin = resolve(opt.bin);
const samples = Number(opt.samples);
const { prefix } = sandbox;
const work = mkdtempSync(join(tmpdir(), 'cnits-dq-'));
ip(['link', 'set', 'lo', 'up']);

const base = { cniVersion: '1.0.0', type: 'bridge', isGateway: true, ipMasq: false };
const nets = {
  'host-local': { ...base, name: 'cnits-hl', bridge: 'cnitshl0', ipam: { type: 'host-local', subnet: '10.210.0.0/24', dataDir: join(work, 'host-local') } },
  'dnsmasq-ipam': { ...base, name: 'cnits-dq', bridge: 'cnitsdq0', ipam: { type: 'dnsmasq-ipam', subnet: '10.211.0.0/24', runDir: join(work, 'dnsmasq') } },
};

const env = (command, id) => ({ PATH: SYS_PATH, CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: `/var/run/netns/${id}`, CNI_IFNAME: 'eth0', CNI_PATH: bin });

async function cni(command, id, conf) {
  const r = await invoke('/usr/bin/time', ['-q', '-f', '\n@@rss=%M', join(bin, 'bridge')], { env: env(command, id), stdin: JSON.stringify(conf) });
  if (r.code !== 0) throw new Error(`${conf.ipam.type} ${command} ${id} failed: ${r.stdout} ${r.stderr}`);
  return r;
}

const times = { 'host-local': { add: [], del: [] }, 'dnsmasq-ipam': { add: [], del: [] } };
try {
  for (let i = 0; i <= samples; i++) {
    const order = i % 2 ? ['dnsmasq-ipam', 'host-local'] : ['host-local', 'dnsmasq-ipam'];
    const ids = Object.fromEntries(order.map((k) => [k, `${prefix}${k === 'host-local' ? 'h' : 'd'}${i}`]));
    netnsAdd(Object.values(ids));
    try {
      const results = {};
      for (const k of order) {
        const r = await cni('ADD', ids[k], nets[k]);
        results[k] = JSON.parse(r.stdout);
        if (i > 0) times[k].add.push(r.ms); // sample 0 warms up: bridges, page cache, dnsmasq starting
      }
      for (const k of [...order].reverse()) {
        const r = await cni('DEL', ids[k], { ...nets[k], prevResult: results[k] });
        if (i > 0) times[k].del.push(r.ms);
      }
    } finally {
      netnsDel(Object.values(ids));
    }
  }
} finally {
  await stopDnsmasq(bin, nets['dnsmasq-ipam']); // every attachment is gone by now
  rmSync(work, { recursive: true, force: true });
}

const stats = (xs) => ({ p50: percentile(xs, 0.5), p90: percentile(xs, 0.9), n: xs.length });
const summary = {
  samples,
  bin,
  hostLocal: { add: stats(times['host-local'].add), del: stats(times['host-local'].del) },
  dnsmasq: { add: stats(times['dnsmasq-ipam'].add), del: stats(times['dnsmasq-ipam'].del) },
};
summary.ratio = summary.dnsmasq.add.p50 / summary.hostLocal.add.p50;
const f = (x) => x.toFixed(1).padStart(8);
process.stdout.write(
  `dnsmasq-ipam vs host-local, our bridge, ${samples} alternating samples, concurrency 1 (ms)\n` +
    `${'IPAM'.padEnd(14)}${'ADD p50'.padStart(8)}${'ADD p90'.padStart(8)}${'DEL p50'.padStart(8)}${'DEL p90'.padStart(8)}\n` +
    `${'host-local'.padEnd(14)}${f(summary.hostLocal.add.p50)}${f(summary.hostLocal.add.p90)}${f(summary.hostLocal.del.p50)}${f(summary.hostLocal.del.p90)}\n` +
    `${'dnsmasq-ipam'.padEnd(14)}${f(summary.dnsmasq.add.p50)}${f(summary.dnsmasq.add.p90)}${f(summary.dnsmasq.del.p50)}${f(summary.dnsmasq.del.p90)}\n` +
    `ADD p50 ratio dnsmasq-ipam / host-local: ${summary.ratio.toFixed(2)} (target <= 1.2)\n`,
);
if (opt.json) writeFileSync(opt.json, `${JSON.stringify(summary, null, 2)}\n`);

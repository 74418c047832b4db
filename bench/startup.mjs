#!/usr/bin/env node
// Start-up work per plugin (issue 9, item 6): for each plugin, the time from its process start (the harness's
// spawn) to its first netlink request, split into Node's own start-up (spawn → Node ready to run the plugin) and the
// plugin's (ready → first request). Measured by observing real ADDs, not by tests: bench/probe.cjs is preloaded
// (NODE_OPTIONS=--require) and records, with the wall clock, when Node was ready and every kernel request the plugin
// makes. Runs as root inside a throwaway network namespace (bench/lib/sandbox.mjs); nothing else is touched.
//
//   node bench/startup.mjs [--bin DIR] [--samples N] [--trace] [--json FILE]
//
// --bin     the plugins to measure (default: dist/bin of this repository)
// --samples ADDs per plugin after one warm-up (default 20); medians are printed
// --trace   also print the kernel requests of one bridge ADD, with their times
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inSandbox, invoke, ip, median, netnsAdd, netnsDel, stopDnsmasq, SYS_PATH } from './lib/sandbox.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    bin: { type: 'string', default: resolve(here, '../dist/bin') },
    samples: { type: 'string', default: '20' },
    trace: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const sandbox = await inSandbox('su', fileURLToPath(import.meta.url), process.argv.slice(2));
if (!sandbox.inside) process.exit(sandbox.code);

const bin = resolve(opt.bin);
const samples = Number(opt.samples);
const { prefix } = sandbox;
const work = mkdtempSync(join(tmpdir(), 'cnits-startup-'));
const probeOut = join(work, 'probe.jsonl');
ip(['link', 'set', 'lo', 'up']);

const env = (command, id, extra = {}) => ({
  PATH: SYS_PATH,
  CNI_COMMAND: command,
  CNI_CONTAINERID: id,
  CNI_NETNS: `/var/run/netns/${id}`,
  CNI_IFNAME: 'eth0',
  CNI_PATH: bin,
  ...extra,
});
const probed = { NODE_OPTIONS: `--require=${join(here, 'probe.cjs')}`, CNI_TS_PROBE_OUT: probeOut };

/** Runs a plugin with the probe; returns the harness's timing and the probe's record of that process. */
async function measured(plugin, command, id, conf) {
  writeFileSync(probeOut, '');
  const r = await invoke(join(bin, plugin), [], { env: env(command, id, probed), stdin: JSON.stringify(conf) });
  if (r.code !== 0) throw new Error(`${plugin} ${command} failed: ${r.stdout} ${r.stderr}`);
  const record = readFileSync(probeOut, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))[0];
  return { r, record };
}

async function quiet(plugin, command, id, conf) {
  const r = await invoke(join(bin, plugin), [], { env: env(command, id), stdin: JSON.stringify(conf) });
  if (r.code !== 0) throw new Error(`${plugin} ${command} failed: ${r.stdout} ${r.stderr}`);
  return r;
}

const bridgeConf = { cniVersion: '1.0.0', name: 'cnits-startup', type: 'bridge', bridge: 'cnitssu0', isGateway: true, ipam: { type: 'host-local', subnet: '10.206.0.0/16', dataDir: join(work, 'ipam-b') } };
const hostLocalConf = { cniVersion: '1.0.0', name: 'cnits-startup-hl', ipam: { type: 'host-local', subnet: '10.207.0.0/16', dataDir: join(work, 'ipam-h') } };
const staticConf = { cniVersion: '1.0.0', name: 'cnits-startup-st', ipam: { type: 'static', addresses: [{ address: '10.208.0.2/24', gateway: '10.208.0.1' }] } };
const l2Conf = { cniVersion: '1.0.0', name: 'cnits-startup-dq', type: 'bridge', bridge: 'cnitsdq0' };
const dnsmasqConf = { ...l2Conf, ipam: { type: 'dnsmasq-ipam', subnet: '10.209.0.0/24', runDir: join(work, 'dnsmasq'), dns: { enable: false } } };

/** One ADD per scenario and sample; the container side is torn down after each (not measured). */
const scenarios = {
  'bridge ADD (host-local in-process)': async (id) => {
    const m = await measured('bridge', 'ADD', id, bridgeConf);
    await quiet('bridge', 'DEL', id, bridgeConf);
    return m;
  },
  'host-local ADD': async (id) => {
    const m = await measured('host-local', 'ADD', id, hostLocalConf);
    await quiet('host-local', 'DEL', id, hostLocalConf);
    return m;
  },
  'static ADD': async (id) => measured('static', 'ADD', id, staticConf),
  'dnsmasq-ipam ADD (after an L2 bridge ADD)': async (id) => {
    await quiet('bridge', 'ADD', id, l2Conf);
    const m = await measured('dnsmasq-ipam', 'ADD', id, dnsmasqConf);
    await quiet('dnsmasq-ipam', 'DEL', id, dnsmasqConf);
    await quiet('bridge', 'DEL', id, l2Conf);
    return m;
  },
};

const rows = [];
let trace;
try {
  for (const [name, run] of Object.entries(scenarios)) {
    const stats = { ready: [], toFirst: [], ownInit: [], total: [], first: new Map() };
    for (let i = 0; i <= samples; i++) {
      const id = `${prefix}${Object.keys(scenarios).indexOf(name)}-${i}`;
      netnsAdd([id]);
      try {
        const { r, record } = await run(id);
        if (i === 0) continue; // warm-up: page cache, a new bridge, dnsmasq starting
        const first = record.events.find((e) => e.what.startsWith('netlink')) ?? record.events[0];
        stats.ready.push(record.ready - r.t0);
        stats.total.push(r.ms);
        if (first) {
          stats.toFirst.push(first.t - r.t0);
          stats.ownInit.push(first.t - record.ready);
          stats.first.set(first.what, (stats.first.get(first.what) ?? 0) + 1);
        }
        if (opt.trace && name.startsWith('bridge') && trace === undefined) trace = { r, record };
      } finally {
        netnsDel([id]);
      }
    }
    const firstWhat = [...stats.first.keys()].join(', ') || '(none)';
    rows.push({ name, ready: median(stats.ready), ownInit: median(stats.ownInit), toFirst: median(stats.toFirst), total: median(stats.total), first: firstWhat });
  }
} finally {
  await stopDnsmasq(bin, dnsmasqConf);
  rmSync(work, { recursive: true, force: true });
}

const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const lines = [
  `start-up per plugin, ${samples} samples each (medians, ms), from ${bin}`,
  '',
  `${'plugin'.padEnd(44)}${'spawn→ready'.padStart(13)}${'ready→first'.padStart(13)}${'spawn→first'.padStart(13)}${'spawn→exit'.padStart(12)}  first kernel request`,
  ...rows.map((r) => `${r.name.padEnd(44)}${f(r.ready).padStart(13)}${f(r.ownInit).padStart(13)}${f(r.toFirst).padStart(13)}${f(r.total).padStart(12)}  ${r.first}`),
  '',
  'spawn→ready: Node\'s own start-up until it runs the plugin; ready→first: the plugin\'s work before its first',
  'kernel request (loading the bundle, parsing the config); static makes no kernel request at all.',
];
process.stdout.write(`${lines.join('\n')}\n`);
if (trace) {
  const { r, record } = trace;
  process.stdout.write(`\none bridge ADD, ms from spawn: node ready ${f(record.ready - r.t0)}\n`);
  for (const e of record.events) process.stdout.write(`  ${f(e.t - r.t0).padStart(7)}  ${e.what} (${((e.end - e.t) * 1000).toFixed(0)} µs)\n`);
  process.stdout.write(`  ${f(record.exit - r.t0).padStart(7)}  exit handlers; process gone at ${f(r.ms)}\n`);
}
if (opt.json) writeFileSync(opt.json, `${JSON.stringify({ bin, samples, rows }, null, 2)}\n`);

// The bench report: a markdown page and an SVG chart from the merged cni-bench summaries of the reference and of
// ours (cni-bench --merge JSON), plus the dnsmasq-ipam comparison and the start-up figures when they were measured.
import { barPanel, legend, svgDocument } from './svg.mjs';

export const TARGETS = [
  { id: 'add', what: 'ADD p50, concurrency 1', get: (s) => level(s, 1)?.add?.p50, max: 2.0, unit: 'ms' },
  { id: 'del', what: 'DEL p50, concurrency 1', get: (s) => level(s, 1)?.del?.p50, max: 1.6, unit: 'ms' },
  { id: 'check', what: 'CHECK p50, concurrency 1', get: (s) => level(s, 1)?.check?.p50, max: 2.0, unit: 'ms' },
  { id: 'tput', what: 'ADD throughput, concurrency 32', get: (s) => level(s, 32)?.addPerSec, min: 0.8, unit: 'ADD/s' },
];

const OPS = ['add', 'check', 'del', 'del2'];

function level(summary, c) {
  return (summary.levels ?? []).find((l) => l.c === c);
}

/** The largest peak RSS (MiB) over every operation at every concurrency level. */
export function peakRssMiB(summary) {
  const kb = (summary.levels ?? []).flatMap((l) => OPS.map((op) => l[op]?.rssMaxKb ?? 0));
  return Math.max(0, ...kb) / 1024;
}

const f1 = (x) => (typeof x === 'number' && Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '-');
const f2 = (x) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(2) : '-');

/** Each target: reference value, ours, ratio ours/reference, the bound, and whether it is met. */
export function evaluate(ref, ours, extra = {}) {
  const rows = TARGETS.map((t) => {
    const a = t.get(ref);
    const b = t.get(ours);
    const ratio = typeof a === 'number' && typeof b === 'number' && a > 0 ? b / a : NaN;
    const met = t.max !== undefined ? ratio <= t.max : ratio >= t.min;
    return { ...t, ref: a, ours: b, ratio, bound: t.max !== undefined ? `≤ ${t.max}x` : `≥ ${t.min}x`, met };
  });
  const rss = peakRssMiB(ours);
  rows.push({ id: 'rss', what: 'peak memory per invocation (max over all operations)', ref: peakRssMiB(ref), ours: rss, ratio: NaN, bound: '≤ 45 MiB', met: rss <= 45, unit: 'MiB' });
  if (extra.dnsmasq) {
    const d = extra.dnsmasq;
    rows.push({ id: 'dnsmasq', what: 'dnsmasq-ipam ADD p50 vs host-local ADD p50 (same bridge plugin, ours)', ref: d.hostLocal.add.p50, ours: d.dnsmasq.add.p50, ratio: d.dnsmasq.add.p50 / d.hostLocal.add.p50, bound: '≤ 1.2x', met: d.dnsmasq.add.p50 / d.hostLocal.add.p50 <= 1.2, unit: 'ms' });
  }
  return rows;
}

export function markdown({ ref, ours, rounds, command, date, dnsmasq, startup, refLabel = 'reference (Go)', oursLabel = 'cni-ts' }) {
  const rows = evaluate(ref, ours, { dnsmasq });
  const L = [];
  L.push('# cni-ts benchmark: ours vs the reference plugins');
  L.push('');
  L.push(`${date} · ${ours.host?.cpus ?? '?'} CPUs, kernel ${ours.host?.kernel ?? '?'}, node ${ours.host?.node ?? '?'} · ` +
    `${rounds} alternating rounds of cni-bench (medians over rounds) · K=${ours.k} containers per level, cniVersion ${ours.cniVersion}`);
  L.push('');
  L.push(`Reference: \`${ref.cniPath}\`. Ours: \`${ours.cniPath}\`. Command: \`${command}\`.`);
  L.push(`Load average (1 min) during the runs: reference ${f1(ref.load1Start)} → ${f1(ref.load1End)}, ours ${f1(ours.load1Start)} → ${f1(ours.load1End)}.`);
  L.push('');
  L.push('## Targets (issue 9)');
  L.push('');
  L.push(`| target | ${refLabel} | ${oursLabel} | ours / reference | bound | met |`);
  L.push('|---|---:|---:|---:|---|---|');
  for (const r of rows) {
    const unit = r.unit ? ` ${r.unit}` : '';
    L.push(`| ${r.what} | ${f1(r.ref)}${unit} | ${f1(r.ours)}${unit} | ${Number.isFinite(r.ratio) ? `${f2(r.ratio)}x` : '-'} | ${r.bound} | ${r.met ? 'yes' : '**no**'} |`);
  }
  L.push('');
  L.push('![latency and throughput](chart.svg)');
  L.push('');
  L.push('## All figures');
  L.push('');
  L.push(`| metric | ${refLabel} | ${oursLabel} | ratio |`);
  L.push('|---|---:|---:|---:|');
  const line = (name, a, b, unit = '') => L.push(`| ${name} | ${f1(a)}${unit} | ${f1(b)}${unit} | ${typeof a === 'number' && typeof b === 'number' && a > 0 ? `${f2(b / a)}x` : '-'} |`);
  line('harness spawn floor (/bin/true) p50', ref.ref?.spawnFloor?.p50, ours.ref?.spawnFloor?.p50, ' ms');
  line('`node -e 0` p50 (the Node floor)', ref.ref?.nodeE0?.p50, ours.ref?.nodeE0?.p50, ' ms');
  line('bridge VERSION p50', ref.ref?.bridgeVersion?.p50, ours.ref?.bridgeVersion?.p50, ' ms');
  line('host-local VERSION p50', ref.ref?.hostLocalVersion?.p50, ours.ref?.hostLocalVersion?.p50, ' ms');
  line('first ADD (creates the bridge)', ref.firstAddMs, ours.firstAddMs, ' ms');
  for (const l of ours.levels ?? []) {
    const rl = level(ref, l.c) ?? {};
    for (const op of OPS) {
      if (!l[op]) continue;
      line(`c=${l.c} ${op.toUpperCase()} p50`, rl[op]?.p50, l[op].p50, ' ms');
      line(`c=${l.c} ${op.toUpperCase()} p99`, rl[op]?.p99, l[op].p99, ' ms');
    }
    line(`c=${l.c} ADD/s`, rl.addPerSec, l.addPerSec);
    line(`c=${l.c} DEL/s`, rl.delPerSec, l.delPerSec);
    line(`c=${l.c} peak RSS, max over ops`, Math.max(...OPS.map((op) => rl[op]?.rssMaxKb ?? 0)) / 1024, Math.max(...OPS.map((op) => l[op]?.rssMaxKb ?? 0)) / 1024, ' MiB');
  }
  L.push('');
  L.push(`Checks: reference ${ref.checksPassed}/${ref.checksTotal}, ours ${ours.checksPassed}/${ours.checksTotal} passed.`);
  if (dnsmasq) {
    L.push('');
    L.push('## dnsmasq-ipam vs host-local (ours, same bridge plugin and settings)');
    L.push('');
    L.push(`${dnsmasq.samples} alternating samples of each (after a warm-up that starts dnsmasq), concurrency 1, ms:`);
    L.push('');
    L.push('| IPAM | ADD p50 | ADD p90 | DEL p50 | DEL p90 |');
    L.push('|---|---:|---:|---:|---:|');
    for (const [name, s] of [['host-local', dnsmasq.hostLocal], ['dnsmasq-ipam', dnsmasq.dnsmasq]]) {
      L.push(`| ${name} | ${f1(s.add.p50)} | ${f1(s.add.p90)} | ${f1(s.del.p50)} | ${f1(s.del.p90)} |`);
    }
  }
  if (startup) {
    L.push('');
    L.push('## Start-up per plugin (bench/startup.mjs)');
    L.push('');
    L.push(`${startup.samples} ADDs per plugin, medians, ms from the harness's spawn:`);
    L.push('');
    L.push('| plugin | Node ready | first kernel request | of which the plugin\'s own | process gone | first request |');
    L.push('|---|---:|---:|---:|---:|---|');
    for (const r of startup.rows) L.push(`| ${r.name} | ${f1(r.ready)} | ${f1(r.toFirst)} | ${f1(r.ownInit)} | ${f1(r.total)} | ${r.first} |`);
  }
  L.push('');
  return `${L.join('\n')}`;
}

export function chart({ ref, ours, refLabel = 'reference (Go)', oursLabel = 'cni-ts' }) {
  const series = [{ name: refLabel, color: '#4e79a7' }, { name: oursLabel, color: '#f28e2b' }];
  const c1r = level(ref, 1) ?? {};
  const c1o = level(ours, 1) ?? {};
  const latency = OPS.filter((op) => c1o[op]).map((op) => ({ label: op === 'del2' ? 'DEL again' : op.toUpperCase(), values: [c1r[op]?.p50 ?? null, c1o[op]?.p50 ?? null] }));
  // The floor any Node plugin starts from: `node -e 0` through the same harness (grey).
  latency.push({ label: 'node -e 0', values: [null, ours.ref?.nodeE0?.p50 ?? null], colors: [null, '#9e9e9e'] });
  const levels = (ours.levels ?? []).map((l) => l.c);
  const tput = (key) => levels.map((c) => ({ label: `c=${c}`, values: [level(ref, c)?.[key] ?? null, level(ours, c)?.[key] ?? null] }));
  const w = 1080;
  const h = 380;
  const body = [
    barPanel({ x: 0, y: 10, w: 420, h: 330, title: 'Latency p50 at concurrency 1', unit: 'ms', groups: latency, series }),
    barPanel({ x: 420, y: 10, w: 330, h: 330, title: 'ADD throughput by concurrency', unit: 'ADD/s', groups: tput('addPerSec'), series }),
    barPanel({ x: 750, y: 10, w: 330, h: 330, title: 'DEL throughput by concurrency', unit: 'DEL/s', groups: tput('delPerSec'), series }),
    legend({ x: 280, y: 368, series: [...series, { name: 'node -e 0 (Node start-up floor)', color: '#9e9e9e' }] }),
  ].join('\n');
  return svgDocument({ w, h, title: 'cni-ts vs reference: latency by operation, throughput by concurrency', body });
}

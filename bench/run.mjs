#!/usr/bin/env node
// `pnpm bench`: the performance comparison of issue 9. It builds dist/bin, makes sure the reference Go plugins are
// installed (apt: containernetworking-plugins, into /usr/lib/cni), runs the shared A/B tool (cni-bench-ab: the two
// implementations alternate, one cni-bench run each per round, medians over rounds; each run sits in its own
// throwaway network namespace), then the dnsmasq-ipam comparison and the start-up measurement, and writes
// bench/results/report.md and bench/results/chart.svg (plus the merged JSON summaries beside them).
//
//   pnpm bench [--rounds N] [--out DIR] [--reference DIR] [--ours DIR] [--tools DIR] [--no-build] [--skip-extras]
//
// --rounds     A/B rounds (default 4)
// --out        where the report goes (default bench/results)
// --reference  the reference plugins (default /usr/lib/cni)
// --ours       our plugins (default dist/bin, rebuilt first unless --no-build)
// --tools      the directory holding cni-bench and cni-bench-ab (default $CNI_BENCH_TOOLS or /work/shared/bench)
// --skip-extras  only the A/B comparison (no dnsmasq-ipam comparison, no start-up table)
// Needs root (network namespaces). A busy machine widens every ratio: run it when `uptime` shows a low load.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chart, evaluate, markdown } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opt } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    out: { type: 'string', default: join(here, 'results') },
    reference: { type: 'string', default: '/usr/lib/cni' },
    ours: { type: 'string', default: join(root, 'dist/bin') },
    tools: { type: 'string', default: process.env.CNI_BENCH_TOOLS ?? '/work/shared/bench' },
    'no-build': { type: 'boolean', default: false },
    'skip-extras': { type: 'boolean', default: false },
    'dnsmasq-samples': { type: 'string', default: '30' },
    'startup-samples': { type: 'string', default: '20' },
  },
});
const say = (s) => process.stdout.write(`bench: ${s}\n`);
const fail = (s) => {
  process.stderr.write(`bench: ${s}\n`);
  process.exit(2);
};

if (process.getuid?.() !== 0) fail('needs root (every run creates network namespaces)');
const abTool = join(opt.tools, 'cni-bench-ab');
if (!existsSync(abTool)) fail(`${abTool} not found: pass --tools DIR or set CNI_BENCH_TOOLS`);

// The reference plugins: Debian's containernetworking-plugins puts them in /usr/lib/cni.
const reference = resolve(opt.reference);
if (!existsSync(join(reference, 'bridge')) || !existsSync(join(reference, 'host-local'))) {
  if (reference !== '/usr/lib/cni') fail(`${reference} has no bridge and host-local`);
  say('installing the reference plugins (apt-get install containernetworking-plugins)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'containernetworking-plugins'], { stdio: 'inherit', env });
}

const ours = resolve(opt.ours);
if (!opt['no-build']) {
  say('building dist/bin (pnpm build)');
  execFileSync('pnpm', ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
if (!existsSync(join(ours, 'bridge'))) fail(`${ours} has no bridge: run \`pnpm build\``);

const load = loadavg()[0];
if (load > cpus().length) say(`warning: load average ${load.toFixed(1)} on ${cpus().length} CPUs; the figures will be noisy`);

const work = mkdtempSync(join(tmpdir(), 'cnits-bench-'));
const rounds = Number(opt.rounds);
const command = `cni-bench-ab -n ${rounds} go ${reference} ts ${ours}`;
say(command);
const ab = spawnSync(abTool, ['-n', String(rounds), '-o', work, 'go', reference, 'ts', ours], { stdio: 'inherit' });
const ref = JSON.parse(readFileSync(join(work, 'go.json'), 'utf8')).summary;
const mine = JSON.parse(readFileSync(join(work, 'ts.json'), 'utf8')).summary;

const out = resolve(opt.out);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'reference.json'), `${JSON.stringify(ref, null, 2)}\n`);
writeFileSync(join(out, 'ours.json'), `${JSON.stringify(mine, null, 2)}\n`);

let dnsmasq;
let startup;
if (!opt['skip-extras']) {
  const extra = (script, args, file) => {
    say(`node bench/${script} ${args.join(' ')}`);
    const r = spawnSync(process.execPath, [join(here, script), '--bin', ours, '--json', join(out, file), ...args], { stdio: 'inherit' });
    return r.status === 0 ? JSON.parse(readFileSync(join(out, file), 'utf8')) : undefined;
  };
  dnsmasq = extra('dnsmasq-vs-host-local.mjs', ['--samples', opt['dnsmasq-samples']], 'dnsmasq.json');
  startup = extra('startup.mjs', ['--samples', opt['startup-samples']], 'startup.json');
}

const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
writeFileSync(join(out, 'report.md'), markdown({ ref, ours: mine, rounds, command, date, dnsmasq, startup }));
writeFileSync(join(out, 'chart.svg'), chart({ ref, ours: mine }));
rmSync(work, { recursive: true, force: true });

for (const r of evaluate(ref, mine, { dnsmasq })) {
  const ratio = Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}x` : `${r.ours.toFixed(1)} ${r.unit}`;
  say(`${r.met ? 'met    ' : 'NOT met'} ${r.what}: ${ratio} (${r.bound})`);
}
say(`wrote ${relative(process.cwd(), join(out, 'report.md'))} and ${relative(process.cwd(), join(out, 'chart.svg'))}`);
process.exitCode = ab.status === 0 ? 0 : 1;

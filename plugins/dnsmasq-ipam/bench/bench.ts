// The design's benchmark (dnsmasq-ipam.md §3), reproduced: handshake cost in-process, ADD cost per process, and
// 32 parallel ADDs from cold. Everything runs in throwaway namespaces; nothing touches the machine's own network.
// Run it with `node bench/run.mjs` (bundles this file, then runs it; see that file for options).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { warmThreadpool } from '@cni-ts/netlink/sys';
import { clientIdBytes } from '../src/client-identity.ts';
import { acquireLease } from '../src/dhcp/container-client.ts';
import { HostDhcpClient } from '../src/dhcp/host-client.ts';
import { releaseConfirmed } from '../src/lease-release.ts';
import { parseIpv4 } from '../src/ipv4.ts';
import { createLab, dnsmasqPidsUnder, macBytes } from '../src/testing/lab.ts';
import type { Container, Lab } from '../src/testing/lab.ts';
import { GATEWAY, netconf } from '../src/testing/netconf.ts';
import { buildPlugins, removeBuiltPlugins } from '../src/testing/plugin-bin.ts';

const stateDir = process.argv[2] ?? '/tmp';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);

const ms = (ns: bigint): number => Number(ns) / 1e6;
function stats(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return `p50 ${at(0.5).toFixed(2)} · p90 ${at(0.9).toFixed(2)} · p99 ${at(0.99).toFixed(2)} · max ${(s.at(-1) ?? NaN).toFixed(2)} ms (n=${s.length})`;
}

/** Runs a command in the lab's host namespace with a clean environment (no NODE_EXTRA_CA_CERTS); returns wall ms. */
function timed(lab: Lab, argv: string[], env: Record<string, string>, stdin = ''): Promise<{ ms: number; code: number; stdout: string }> {
  const started = process.hrtime.bigint();
  const child = spawn('ip', ['netns', 'exec', lab.host.name, ...argv], { env: { PATH: '/usr/bin:/bin', ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('close', (code) => resolve({ ms: ms(process.hrtime.bigint() - started), code: code ?? -1, stdout })));
}

function addCall(bin: string, lab: Lab, c: Container, config: object) {
  return timed(lab, [join(bin, 'dnsmasq-ipam')], {
    CNI_COMMAND: 'ADD', CNI_CONTAINERID: c.id, CNI_NETNS: c.ns.path, CNI_IFNAME: 'eth0', CNI_PATH: bin,
  }, JSON.stringify(config));
}

async function main(): Promise<void> {
  await warmThreadpool();
  const bin = await buildPlugins(['dnsmasq-ipam']);
  const lab = await createLab(); // no bridge address: the first ADD adds it
  const runDir = mkdtempSync(join(stateDir, 'dq-bench-'));
  const config = netconf(lab, { ipam: { runDir } });
  const out: string[] = [];
  const coldDir = mkdtempSync(join(stateDir, 'dq-bench-cold-'));
  // The lab kills dnsmasqs under its own dir; these run from the state dirs, so the bench kills them itself.
  const killOurDnsmasqs = (): void => {
    for (const pid of [...dnsmasqPidsUnder(runDir), ...dnsmasqPidsUnder(coldDir)]) process.kill(pid, 'SIGKILL');
  };
  try {
    const containers: Container[] = [];
    for (let i = 0; i < 32; i++) containers.push(await lab.addContainer());
    const [first, ...rest] = containers as [Container, ...Container[]];

    // 1. Process-per-call ADD (what a runtime pays): the first one starts dnsmasq and adds the bridge address.
    const firstAdd = await addCall(bin, lab, first, config);
    if (firstAdd.code !== 0) throw new Error(`first ADD failed: ${firstAdd.stdout}`);
    const later: number[] = [];
    for (const c of rest.slice(0, 20)) later.push((await addCall(bin, lab, c, config)).ms);
    const bareNode: number[] = [];
    for (let i = 0; i < 20; i++) bareNode.push((await timed(lab, [process.execPath, '-e', '0'], {})).ms);
    const version: number[] = [];
    for (let i = 0; i < 20; i++) version.push((await timed(lab, [join(bin, 'dnsmasq-ipam')], { CNI_COMMAND: 'VERSION' }, '{"cniVersion":"1.1.0"}')).ms);
    out.push(`| first ADD (starts dnsmasq, adds the bridge address) | ${firstAdd.ms.toFixed(1)} ms |`);
    out.push(`| later ADDs, sequential | ${stats(later)} |`);
    out.push(`| bare \`node -e 0\` (same spawn path) | ${stats(bareNode)} |`);
    out.push(`| plugin VERSION (bundle start-up, no work) | ${stats(version)} |`);

    // 2. In-process primitives: a fresh client-id per sample on an existing container interface.
    const gateway = parseIpv4(GATEWAY) ?? 0;
    const acquire: number[] = [];
    const leased: Array<{ address: number; clientId: string }> = [];
    for (let i = 0; i < SAMPLES; i++) {
      const c = containers[i % containers.length] as Container;
      const clientId = `cni/bench-${i}/eth0`;
      const started = process.hrtime.bigint();
      const r = await acquireLease({ netns: c.ns.path, ifName: 'eth0', client: { mac: macBytes(c.mac), clientId: clientIdBytes(clientId), hostname: `b${i}` }, timeoutMs: 1000, attempts: 1 });
      acquire.push(ms(process.hrtime.bigint() - started));
      if (r.kind !== 'ack') throw new Error(`bench lease ${i}: ${r.kind}`);
      leased.push({ address: r.reply.yiaddr, clientId });
    }
    const host = HostDhcpClient.open(lab.bridge, gateway, lab.host.path);
    const inform: number[] = [];
    for (const l of leased) {
      const started = process.hrtime.bigint();
      await host.inform(l.address, 1000);
      inform.push(ms(process.hrtime.bigint() - started));
    }
    const release: number[] = [];
    for (const l of leased) {
      const started = process.hrtime.bigint();
      if (!(await releaseConfirmed(l, { host, serverId: gateway, timeoutMs: 1000 }))) throw new Error('release not confirmed');
      release.push(ms(process.hrtime.bigint() - started));
    }
    host.close();
    out.push(`| handshake: socket in the container netns (setns) + DISCOVER(rapid commit) → ACK | ${stats(acquire)} |`);
    out.push(`| INFORM from the host (CHECK primitive) | ${stats(inform)} |`);
    out.push(`| RELEASE + INFORM confirm (DEL primitive) | ${stats(release)} |`);

    // 3. 32 parallel ADD processes from cold: dnsmasq stopped, fresh run directory.
    killOurDnsmasqs();
    const cold = netconf(lab, { ipam: { runDir: coldDir } });
    const started = process.hrtime.bigint();
    const results = await Promise.all(containers.map((c) => addCall(bin, lab, c, cold)));
    const wall = ms(process.hrtime.bigint() - started);
    const ok = results.filter((r) => r.code === 0).length;
    const unique = new Set(results.map((r) => (JSON.parse(r.stdout || '{}') as { ips?: Array<{ address: string }> }).ips?.[0]?.address)).size;
    const parallelNode = process.hrtime.bigint();
    await Promise.all(containers.map(() => timed(lab, [process.execPath, '-e', '0'], {})));
    out.push(`| 32 parallel ADD processes from cold (one dnsmasq start) | ${wall.toFixed(0)} ms wall, ${ok}/32 ok, ${unique} unique addresses |`);
    out.push(`| 32 parallel bare \`node -e 0\` (same spawn path) | ${ms(process.hrtime.bigint() - parallelNode).toFixed(0)} ms wall |`);
  } finally {
    killOurDnsmasqs();
    await lab.close();
    rmSync(runDir, { recursive: true, force: true });
    rmSync(coldDir, { recursive: true, force: true });
    removeBuiltPlugins();
  }
  process.stdout.write(`| what | result |\n|---|---|\n${out.join('\n')}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});

// One fuzz case and how it is judged: the generated invocation runs (in-process or as the real executable), the
// oracle judges the outcome, a successful ADD gets an optional follow-up verb and then the runtime's DEL (which
// must succeed), and finally the world must hold nothing of the case: no reservation, record, lease, link or rule.
// A leak is repaired after it is recorded, so one bad case does not fail every later one.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hostLocalLeaks, leaks, type LeakScope } from '../harness/leaks.ts';
import { outcomeProblems } from '../harness/oracle.ts';
import type { Outcome } from '../harness/targets.ts';
import type { World } from '../harness/world.ts';

export interface FuzzCase {
  /** the plugin the runtime executes */
  plugin: string;
  command: string | undefined;
  /** CNI_* (except CNI_COMMAND) and any other variables */
  env: Record<string, string | undefined>;
  /** the config object (sent as JSON) */
  config: unknown;
  /** raw stdin instead of the config's JSON (broken JSON, invalid UTF-8) */
  rawStdin?: Buffer;
  secrets: readonly string[];
  via: 'in-process' | 'exec';
  /** after a successful ADD: another verb with a modified config (CHECK with a prevResult, GC, DEL twice...) */
  followUp?: { command: string; config: unknown; env?: Record<string, string | undefined> };
  /**
   * After a successful ADD at a version with CHECK (>= 0.4.0): CHECK with the ADD's own result as prevResult, as a
   * runtime sends it. Right after ADD, with nothing changed, it must succeed.
   */
  checkOwnResult?: boolean;
  /** which state to check afterwards */
  scope: LeakScope;
}

/** What a suite draws for one case besides its plugin and scope. */
export interface DrawnCase {
  conf: { config: unknown; secrets: readonly string[] };
  env: Record<string, string | undefined>;
  command: string | undefined;
  via: FuzzCase['via'];
  /** CHECK with the ADD's own result (dropped when there is a follow-up verb) */
  checkOwn: boolean;
}

/** A follow-up verb with the case's config at `cniVersion`, plus `extra` keys (GC's valid attachments). */
export interface DrawnFollowUp {
  command: string;
  cniVersion: string;
  extra?: Record<string, unknown>;
}

/** The case the suites build from what they drew. */
export function generatedCase(d: DrawnCase, c: { plugin: string; scope: LeakScope; followUp: DrawnFollowUp | undefined }): FuzzCase {
  const f = c.followUp;
  return {
    plugin: c.plugin,
    command: d.command,
    env: d.env,
    config: d.conf.config,
    secrets: d.conf.secrets,
    via: d.via,
    checkOwnResult: d.checkOwn && !f,
    scope: c.scope,
    ...(f ? { followUp: { command: f.command, config: { ...(d.conf.config as object), cniVersion: f.cniVersion, ...f.extra } } } : {}),
  };
}

export interface CaseReport {
  problems: string[];
  /** `ADD 0`, `ADD 7`, `DEL 0`, ... for the statistics */
  key: string;
  outcome: Outcome;
  /** a CHECK with the ADD's own result ran */
  checkedOwn: boolean;
}

const TIMEOUT_MS = Number(process.env.CNI_TS_FUZZ_CASE_TIMEOUT_MS ?? 60_000);

const stdinOf = (config: unknown) => Buffer.from(JSON.stringify(config) ?? 'null');
const declaredVersion = (config: unknown) => (typeof config === 'object' && config !== null ? (config as { cniVersion?: unknown }).cniVersion : undefined);
const hasNul = (env: Record<string, string | undefined>) => Object.entries(env).some(([k, v]) => k.includes('\0') || (v ?? '').includes('\0'));

export async function runCase(world: World, c: FuzzCase): Promise<CaseReport> {
  const env = { ...c.env, ...(c.command === undefined ? {} : { CNI_COMMAND: c.command }) };
  // exec(2) cannot carry a NUL byte in the environment: such a case runs in-process.
  const via = c.via === 'exec' && hasNul(env) ? 'in-process' : c.via;
  const stdin = c.rawStdin ?? stdinOf(c.config);
  const outcome = await world.run({ plugin: c.plugin, env, stdin }, via, TIMEOUT_MS);
  const judge = (command: string | undefined, config: unknown, o: Outcome) =>
    outcomeProblems({ command, declaredVersion: c.rawStdin ? undefined : declaredVersion(config), outcome: o, secrets: c.secrets });
  const problems = judge(c.command, c.config, outcome).map((p) => `${c.command}: ${p}`);
  let checkedOwn = false;

  if (c.command === 'ADD' && outcome.code === 0 && !outcome.timedOut) {
    if (c.followUp) {
      const f = c.followUp;
      const o = await world.run({ plugin: c.plugin, env: { ...env, ...f.env, CNI_COMMAND: f.command }, stdin: stdinOf(f.config) }, 'in-process', TIMEOUT_MS);
      problems.push(...judge(f.command, f.config, o).map((p) => `follow-up ${f.command}: ${p}`));
    }
    const version = declaredVersion(c.config);
    if (c.checkOwnResult && typeof version === 'string' && ['0.4.0', '1.0.0', '1.1.0'].includes(version)) {
      const config = { ...(c.config as object), prevResult: JSON.parse(outcome.stdout) as unknown };
      const check = await world.run({ plugin: c.plugin, env: { ...env, CNI_COMMAND: 'CHECK' }, stdin: stdinOf(config) }, 'in-process', TIMEOUT_MS);
      checkedOwn = true;
      if (check.code !== 0) problems.push(`CHECK with the ADD's own result failed: ${check.stdout.slice(0, 300)}`);
    }
    const del = await world.run({ plugin: c.plugin, env: { ...env, CNI_COMMAND: 'DEL' }, stdin }, via, TIMEOUT_MS);
    if (del.code !== 0) problems.push(`DEL after a successful ADD failed (exit ${del.code}): ${del.stdout.slice(0, 300)}`);
  }
  const left = await leaks(world, c.scope);
  if (left.length > 0) {
    problems.push(`left behind: ${left.join('; ')}`);
    await repair(world, c.scope);
  }
  const key = `${c.command ?? '(none)'} ${outcome.timedOut ? 'hang' : outcome.code === 0 ? 'ok' : ((tryJson(outcome.stdout) as { code?: number } | undefined)?.code ?? `exit${outcome.code}`)}`;
  return { problems, key, outcome, checkedOwn };
}

function tryJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** Puts the world back to clean after a leak was recorded. */
async function repair(world: World, scope: LeakScope): Promise<void> {
  if (scope.hostLocal) {
    for (const f of await hostLocalLeaks(world.dataDir)) await rm(join(world.dataDir, f.replace(/^host-local /, '')), { force: true });
  }
  if (scope.dnsmasq) {
    // records and leases are rebuilt by the next ADD; dnsmasq (if running) is restarted by it
    await rm(world.runDir, { recursive: true, force: true });
    await mkdir(world.runDir);
  }
  if (world.host && (scope.kernel || scope.firewall)) {
    await world.renewContainer();
    const veths = await world.host.ipJson<Array<{ ifname: string }>>(['link', 'show', 'type', 'veth']);
    for (const v of veths) await world.host.ip(['link', 'del', v.ifname], { allowFail: true });
    await world.host.exec('nft', ['flush', 'ruleset'], { allowFail: true });
    for (const t of ['iptables', 'ip6tables']) {
      await world.host.exec(t, ['-t', 'nat', '-F'], { allowFail: true });
      await world.host.exec(t, ['-t', 'nat', '-X'], { allowFail: true });
    }
  }
}

/** Tallies outcomes and keeps the first failing cases, for the assertion message and the report. */
export class Tally {
  readonly counts = new Map<string, number>();
  readonly failures: Array<{ case: FuzzCase; problems: string[] }> = [];
  cases = 0;
  exec = 0;
  checksOfOwnResult = 0;
  failed = 0;
  readonly latencies: number[] = [];
  /** wall time of whole cases (the invocation, follow-up, DEL and state checks) */
  caseMs = 0;
  readonly msByKey = new Map<string, number>();

  add(c: FuzzCase, r: CaseReport): void {
    this.cases++;
    if (r.outcome.via === 'exec') this.exec++;
    if (r.checkedOwn) this.checksOfOwnResult++;
    this.latencies.push(r.outcome.ms);
    this.counts.set(r.key, (this.counts.get(r.key) ?? 0) + 1);
    this.msByKey.set(r.key, (this.msByKey.get(r.key) ?? 0) + r.outcome.ms);
    if (r.problems.length === 0) return;
    this.failed++;
    if (this.failures.length < 20) this.failures.push({ case: c, problems: r.problems });
  }

  debug(c: FuzzCase, r: CaseReport): void {
    if (process.env.CNI_TS_FUZZ_DEBUG && r.key.startsWith(process.env.CNI_TS_FUZZ_DEBUG)) process.stderr.write(`${r.key}: ${r.outcome.stdout.replace(/\s+/g, " ").slice(0, 300)}\n   ${JSON.stringify(c.config).slice(0, 600)}\n`);
  }

  count(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.counts) if (k.startsWith(prefix)) n += v;
    return n;
  }

  describeFailures(): string {
    return this.failures
      .map((f, i) => `#${i + 1} ${f.problems.join(' | ')}\n   case: ${JSON.stringify({ ...f.case, rawStdin: f.case.rawStdin?.toString('base64') }).slice(0, 2000)}`)
      .join('\n');
  }

  summary(): Record<string, unknown> {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const pct = (p: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
    const meanMs = Object.fromEntries([...this.msByKey].filter(([k]) => (this.counts.get(k) ?? 0) >= 10).map(([k, ms]) => [k, Math.round(ms / this.counts.get(k)!)]));
    return { cases: this.cases, exec: this.exec, checksOfOwnResult: this.checksOfOwnResult, failed: this.failed, outcomes: Object.fromEntries([...this.counts].sort()), p50ms: pct(0.5), p99ms: pct(0.99), meanMsByOutcome: meanMs };
  }
}

// Property-based tests of the dispatcher (issue 10 item 1, the protocol layer every plugin shares): whatever the
// environment, stdin and plugin behaviour, runPlugin never throws and ends in exactly one of two outcomes:
// exit 0 with the verb's output (a result valid for the config's version for ADD, nothing for DEL/CHECK/GC/STATUS,
// the version document for VERSION), or exit 1 with one CNI error document. Never a stack trace on stdout.
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PluginConf } from './config.ts';
import { CniError } from './errors.ts';
import type { PluginDefinition } from './plugin.ts';
import type { Result } from './result/model.ts';
import { resultSchema } from './result/schemas.ts';
import { runWithIo, type RunOutput } from './testing/run-with-io.ts';
import { isCniVersion, versions } from './versions.ts';

const RUNS = Number(process.env.CNI_TS_FUZZ_RUNS ?? 300);

// Mostly well-formed, so that the generated cases reach the plugin and the result conversion, with a steady
// share of junk in every field.
const often = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: bad });
const verb = often(fc.constantFrom('ADD', 'ADD', 'ADD', 'DEL', 'CHECK', 'STATUS', 'GC', 'VERSION'), fc.constantFrom('', 'add', 'NOPE'));
const version = often(fc.constantFrom(...versions.all), fc.oneof(fc.constantFrom('', '0.5.0', '2.0.0', '1.0', 'x'), fc.string()));
const id = often(fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,40}$/), fc.oneof(fc.constantFrom('', '../x', '/', 'a/b', 'a\u0000b'), fc.string()));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 10 });

const env = fc.record({
  CNI_COMMAND: verb,
  CNI_CONTAINERID: optional(id),
  CNI_NETNS: optional(often(fc.constant('/var/run/netns/skel-fuzz-none'), fc.constantFrom('', '/proc/self/ns/net', '/dev/null'))),
  CNI_IFNAME: optional(often(fc.constantFrom('eth0', 'net1'), fc.oneof(fc.constantFrom('..', 'a/b', 'x'.repeat(16), ' e'), fc.string()))),
  CNI_PATH: optional(often(fc.constant('/opt/cni/bin'), fc.constantFrom('', ':::'))),
  CNI_ARGS: optional(fc.string()),
});

const ipText = often(fc.oneof(fc.ipV4(), fc.ipV6()), fc.string());
const cidrText = often(fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`), ipText);
/** Shapes of every version's result, mostly right, sometimes with junk in a field. */
const resultJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 3, arbitrary: fc.record({ cniVersion: optional(version), ip4: optional(fc.record({ ip: cidrText, gateway: optional(ipText) })) }, { requiredKeys: [] }) },
  {
    weight: 6,
    arbitrary: fc.record(
    {
      cniVersion: optional(version),
      interfaces: fc.array(fc.record({ name: fc.string(), mac: optional(fc.string()), sandbox: optional(fc.string()) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
      ips: fc.array(fc.record({ address: cidrText, gateway: optional(ipText), interface: optional(fc.integer({ min: -1, max: 4 })), version: optional(fc.constantFrom('4', '6')) }, { requiredKeys: ['address'] }), { maxLength: 3 }),
      routes: fc.array(fc.record({ dst: cidrText, gw: optional(ipText) }, { requiredKeys: ['dst'] }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
  },
);

const config = fc.record(
  {
    cniVersion: version,
    name: often<unknown>(id, fc.oneof(fc.integer(), fc.constant(null))),
    type: fc.constantFrom('fuzz', ''),
    prevResult: resultJson,
    runtimeConfig: often(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
    args: often(fc.record({ cni: fc.dictionary(fc.string(), fc.jsonValue()) }), fc.jsonValue()),
    dns: often(fc.record({ nameservers: fc.array(fc.ipV4()) }), fc.jsonValue()),
    ipMasq: often(fc.boolean(), fc.jsonValue()),
    k8s_auth_token: fc.string(),
  },
  { requiredKeys: ['cniVersion', 'name'] },
);

const stdin = fc.oneof(
  { weight: 8, arbitrary: config.map((c) => JSON.stringify(c)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
);

const anyIp = fc.oneof(fc.ipV4(), fc.ipV6());
const anyCidr = fc.oneof(
  fc.tuple(fc.ipV4(), fc.nat(32)).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.ipV6(), fc.nat(128)).map(([a, p]) => `${a}/${p}`),
);
/** A result model as the contract says a plugin returns it (the 1.1.0 shape, addresses well-formed). */
const resultModel: fc.Arbitrary<Result> = fc.record(
  {
    interfaces: fc.array(fc.record({ name: fc.string({ minLength: 1 }), mac: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':')), sandbox: fc.string(), mtu: fc.nat(9000) }, { requiredKeys: ['name'] }), { maxLength: 3 }),
    ips: fc.array(fc.record({ address: anyCidr, gateway: anyIp, interface: fc.nat(3) }, { requiredKeys: ['address'] }), { maxLength: 4 }),
    routes: fc.array(fc.record({ dst: anyCidr, gw: anyIp, priority: fc.nat(), table: fc.nat(255) }, { requiredKeys: ['dst'] }), { maxLength: 3 }),
    dns: fc.record({ nameservers: fc.array(anyIp), domain: fc.string(), search: fc.array(fc.string()), options: fc.array(fc.string()) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

/** What the plugin's verbs do: return a result (well-formed, or junk breaking the contract), or throw anything. */
const behaviour: fc.Arbitrary<Behaviour> = fc.oneof(
  { weight: 4, arbitrary: resultModel.map((json) => ({ kind: 'result' as const, json })) },
  { weight: 1, arbitrary: resultJson.map((json) => ({ kind: 'junk' as const, json })) },
  fc.constantFrom(
    { kind: 'throw' as const, error: new CniError(7, 'bad config', 'the details') },
    { kind: 'throw' as const, error: new Error('plain failure') },
    { kind: 'throw' as const, error: 'a string' },
    { kind: 'throw' as const, error: undefined },
    { kind: 'throw' as const, error: new AggregateError([new Error('a'), new CniError(11, 'b')], '') },
  ),
  fc.constant({ kind: 'nothing' as const }),
);

type Behaviour = { kind: 'result' | 'junk'; json: unknown } | { kind: 'throw'; error: unknown } | { kind: 'nothing' };

function plugin(b: Behaviour): PluginDefinition<PluginConf> {
  const act = async (): Promise<Result> => {
    if (b.kind === 'throw') throw b.error;
    if (b.kind === 'nothing') return undefined as unknown as Result;
    return b.json as Result; // deliberately unchecked: skel must cope with whatever a plugin returns
  };
  const verb = async () => void (await act());
  return { name: 'fuzz', config: PluginConf, add: act, del: verb, check: verb, status: verb, gc: verb };
}

/** The oracle: which problems this outcome has (empty = a valid CNI outcome). */
function problems(out: RunOutput, command: string | undefined, stdinText: string, b: Behaviour): string[] {
  const found: string[] = [];
  if (/\n\s+at .+:\d+:\d+\)?/.test(out.stdout)) found.push('stack trace on stdout');
  if (out.code === 1) {
    const e = out.json as Record<string, unknown>;
    if (typeof e?.code !== 'number' || !Number.isInteger(e.code) || e.code <= 0) found.push(`error without a positive integer code: ${out.stdout}`);
    if (typeof e?.msg !== 'string') found.push('error without msg');
    if (e?.details !== undefined && typeof e.details !== 'string') found.push('details not a string');
    if (Object.keys(e ?? {}).some((k) => !['code', 'msg', 'details', 'cniVersion'].includes(k))) found.push('unknown key in error');
    return found;
  }
  if (out.code !== 0) return [`exit code ${out.code}`];
  if (command === 'ADD' && b.kind === 'junk') {
    // A plugin that breaks its contract gets its junk converted as well as skel can; stdout is still one JSON
    // document (runWithIo parsed it) and nothing crashed.
  } else if (command === 'ADD') {
    const declared = (JSON.parse(stdinText) as { cniVersion?: string }).cniVersion || '0.1.0';
    const json = out.json as { cniVersion?: string };
    if (!isCniVersion(declared) || json?.cniVersion !== declared) found.push(`result version ${json?.cniVersion} for config ${declared}`);
    else if (!resultSchema(declared).safeParse(json).success) found.push(`result invalid for ${declared}: ${out.stdout}`);
  } else if (command === 'VERSION') {
    const json = out.json as { cniVersion?: unknown; supportedVersions?: unknown };
    if (json?.cniVersion !== versions.current || !Array.isArray(json.supportedVersions)) found.push(`bad VERSION answer ${out.stdout}`);
  } else if (out.stdout !== '') found.push(`${command ?? '(none)'} printed ${out.stdout}`);
  return found;
}

describe('runPlugin over generated invocations', () => {
  test(`${RUNS} cases: exit 0 with the verb's output, or exit 1 with one CNI error; never a throw`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(env, stdin, behaviour, async (e, input, b) => {
        const out = await runWithIo(plugin(b), { env: e, stdin: input });
        const text = Buffer.isBuffer(input) ? input.toString('utf8') : input;
        expect(problems(out, e.CNI_COMMAND, text, b)).toEqual([]);
        const key = `${e.CNI_COMMAND} ${out.code === 0 ? 'ok' : (out.json as { code: number }).code}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }),
      { numRuns: RUNS },
    );
    // Not vacuous: the generators reach successful ADDs (result conversion) and the verbs' own failures.
    expect(seen.get('ADD ok') ?? 0).toBeGreaterThan(0);
    expect([...seen.keys()].filter((k) => k.startsWith('ADD ')).length).toBeGreaterThan(4);
  });
});

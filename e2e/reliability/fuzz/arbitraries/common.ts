// Generators shared by every plugin's fuzz suite: the CNI environment, CNI_ARGS, versions, runtimeConfig,
// prevResult, secrets and junk. Each field is mostly well-formed (so that cases get past validation and reach
// the plugin's real work) with a steady share of hostile values: path escapes, NUL, overlong, wrong JSON types.
import * as fc from 'fast-check';

export const CNI_VERSIONS = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const;

/** Mostly `good`, one time in `1 + goodWeight` something else. */
export const often = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, goodWeight = 8): fc.Arbitrary<T> =>
  fc.oneof({ weight: goodWeight, arbitrary: good }, { weight: 1, arbitrary: bad });

/** A JSON value of the wrong kind for almost any field. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, '', ' ', '\u0000', [], {}, 'null', '../../etc', 'x'.repeat(5000)),
  fc.jsonValue({ maxDepth: 2 }),
);

export const version: fc.Arbitrary<unknown> = often<unknown>(
  fc.constantFrom(...CNI_VERSIONS),
  fc.oneof(fc.constantFrom('', '0.5.0', '1.2.0', '2.0.0', '1.0', '01.0.0', ' 1.0.0', 'v1.0.0'), junk),
  12,
);

/** Names that could leave a state directory, or that the kernel or a file system refuses. */
export const hostileNames = [
  '..', '.', '../x', '../../etc/passwd', '/', '/tmp/x', 'a/b', 'a\\b', 'x\u0000y', '', ' ', ' lead', 'trail ', 'a b',
  'x'.repeat(256), 'x'.repeat(4096), 'ünï', '-x', '.hidden', 'x:y', 'x\ny', '%2e%2e', '~root',
] as const;

const identifier = (max: number) => fc.stringMatching(new RegExp(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,${max - 1}}$`));

/** `arb` about once in `oneIn` cases, otherwise undefined (meaning: leave the well-formed value alone). */
export const rarely = <T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** A network name that is not one: path escapes, NUL, overlong, wrong type. */
export const hostileNetworkName: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom(...hostileNames), fc.string(), junk);

export const containerId = often(fc.oneof(identifier(64), fc.stringMatching(/^[0-9a-f]{64}$/)), fc.oneof(fc.constantFrom(...hostileNames), fc.string()), 40);

/** Interface names: the kernel allows 1-15 bytes without '/', ':' or white space, and not '.' or '..'. */
export const ifName = often(
  fc.oneof(fc.constantFrom('eth0', 'eth1', 'net1'), fc.stringMatching(/^[a-z][a-z0-9_-]{0,14}$/)),
  fc.oneof(fc.constantFrom(...hostileNames, 'lo', 'x'.repeat(16), 'éééééééé', 'eth0 '), fc.string()),
  40,
);

export const ip4 = fc.ipV4();
export const ip6 = fc.ipV6();
export const anyIp = fc.oneof(ip4, ip6);
export const cidr4 = fc.tuple(ip4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);
export const cidr6 = fc.tuple(ip6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`);
export const ipText = often<unknown>(anyIp, fc.oneof(fc.constantFrom('1.2.3', '256.1.1.1', '::g', '10.0.0.1/33', ''), junk), 6);
export const cidrText = often<unknown>(fc.oneof(cidr4, cidr6), fc.oneof(fc.constantFrom('10.0.0.0', '10.0.0.0/33', 'fd00::/129', '/24', ''), junk), 6);
export const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }).map((b) => b.map((x) => x.toString(16).padStart(2, '0')).join(':'));
export const macText = often<unknown>(mac, fc.oneof(fc.constantFrom('ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', '00:00:00:00:00:00', 'zz:zz', 'aa-bb-cc-dd-ee-ff', ''), junk), 4);

/** CNI_ARGS: `K=V;K=V`, with the keys runtimes send and the ones plugins read, and malformed pairs. */
export function cniArgs(values: { ip: fc.Arbitrary<string> }): fc.Arbitrary<string | undefined> {
  const pair = fc.oneof(
    fc.constantFrom('IgnoreUnknown=1', 'IgnoreUnknown=true', 'IgnoreUnknown=0', 'K8S_POD_NAMESPACE=default', 'K8S_POD_INFRA_CONTAINER_ID=abc'),
    fc.stringMatching(/^[a-z0-9-]{1,20}$/).map((n) => `K8S_POD_NAME=${n}`),
    values.ip.map((ip) => `IP=${ip}`),
    fc.tuple(values.ip, values.ip).map(([a, b]) => `IP=${a},${b}`),
    anyIp.map((ip) => `GATEWAY=${ip}`),
    mac.map((m) => `MAC=${m}`),
    fc.constantFrom('=', '==', 'novalue', 'IP=', 'MAC=zz', 'IP=not-an-ip', ';', 'K8S_POD_NAME=../x', '=x'),
    fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([k, v]) => `${k}=${v}`),
  );
  return fc.option(fc.array(pair, { maxLength: 5 }).map((ps) => ps.join(';')), { nil: undefined, freq: 3 });
}

/** A value under a random-case spelling of its key (containerd sends `IPs`, `Mac`; Go matches keys case-insensitively). */
export function caseVariant(key: string): fc.Arbitrary<string> {
  return often(fc.constant(key), fc.constantFrom(key.toUpperCase(), key.toLowerCase(), key[0]!.toUpperCase() + key.slice(1)), 6);
}

/** An object with optional keys (each present about half the time) whose key spelling may vary in case. */
export function looseRecord(fields: Record<string, fc.Arbitrary<unknown>>, opts: { caseVariants?: boolean } = {}): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(fields).map(([k, arb]) =>
    fc.option(fc.tuple(opts.caseVariants ? caseVariant(k) : fc.constant(k), arb), { nil: undefined }),
  );
  return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((p) => p !== undefined) as Array<[string, unknown]>));
}

/** A previous result in one of the three shapes (0.2.0, 0.4.0, 1.x), mostly well-formed. */
export const prevResult: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: looseRecord({
      cniVersion: fc.constantFrom(...CNI_VERSIONS.slice(2)),
      interfaces: fc.array(fc.record({ name: fc.constantFrom('eth0', 'cni0', 'veth1'), mac, sandbox: fc.constantFrom('/var/run/netns/x', '') }, { requiredKeys: ['name'] }), { maxLength: 2 }),
      ips: fc.array(fc.record({ address: fc.oneof(cidr4, cidr6), gateway: anyIp, interface: fc.nat(1) }, { requiredKeys: ['address'] }), { maxLength: 3 }),
      routes: fc.array(fc.record({ dst: fc.oneof(cidr4, cidr6), gw: anyIp }, { requiredKeys: ['dst'] }), { maxLength: 2 }),
      dns: looseRecord({ nameservers: fc.array(anyIp, { maxLength: 2 }) }),
    }),
  },
  { weight: 2, arbitrary: looseRecord({ cniVersion: fc.constantFrom('0.1.0', '0.2.0'), ip4: fc.record({ ip: cidr4, gateway: ip4 }, { requiredKeys: ['ip'] }), ip6: fc.record({ ip: cidr6 }) }) },
  { weight: 1, arbitrary: looseRecord({ cniVersion: version, interfaces: fc.array(looseRecord({ name: ifName, mac: macText }), { maxLength: 2 }), ips: fc.array(looseRecord({ address: cidrText, gateway: ipText, interface: fc.oneof(fc.nat(3), junk) }), { maxLength: 2 }) }) },
  { weight: 1, arbitrary: junk },
);

/** runtimeConfig keys any plugin may receive (capabilities of other plugins included). */
export const foreignRuntimeConfig = {
  portMappings: fc.array(looseRecord({ hostPort: fc.integer(), containerPort: fc.integer(), protocol: fc.constantFrom('tcp', 'udp', 'x') }), { maxLength: 2 }),
  bandwidth: looseRecord({ ingressRate: fc.integer(), egressRate: fc.integer() }),
  dns: looseRecord({ servers: fc.array(anyIp, { maxLength: 2 }), searches: fc.array(fc.string(), { maxLength: 2 }) }),
  'io.kubernetes.cri.pod-annotations': fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
};

/** Secrets planted in a config: a recognisable marker each, under keys people use for them. */
export interface Secrets {
  values: string[];
  /** top-level keys to merge into the config */
  top: Record<string, unknown>;
  /** keys to merge into the ipam block (and runtimeConfig) */
  nested: Record<string, unknown>;
}

export const secrets: fc.Arbitrary<Secrets> = fc
  .tuple(fc.stringMatching(/^[0-9a-f]{12}$/), fc.boolean(), fc.boolean())
  .map(([hex, inIpam, asObject]) => {
    const token = `TOKEN-${hex}`;
    const password = `PASSWORD-${hex}`;
    const key = `KEY-${hex}`;
    const top: Record<string, unknown> = asObject
      ? { kubernetes: { kubeconfig: '/etc/kubernetes/kubeconfig', k8s_auth_token: token }, policy: { type: 'k8s' } }
      : { k8s_auth_token: token };
    const nested: Record<string, unknown> = inIpam ? { password, apiKey: key } : { credentials: { user: 'u1', secret: key, password } };
    return { values: [token, password, key], top, nested };
  });

/** Extra top-level keys a runtime or another plugin may have put into the config. */
export const unknownKeys: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('foo', 'capabilities', 'Bridge', 'runtimeconfig', 'isGateway2', 'constructor', 'toString'), junk, { maxKeys: 2 }) },
);

type Path = Array<string | number>;

/** Every path in a JSON value (objects and arrays included, the root excluded). */
export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const p = [...prefix, k];
    out.push(p);
    pathsOf(v, p, out);
  }
  return out;
}

const DELETE = Symbol('delete');

/** A copy of `value` with the value at `path` replaced (or the key removed). */
export function replaceAt(value: unknown, path: Path, next: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (next === DELETE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = next;
  return copy;
}

/**
 * `count` targeted mutations of a well-formed value: one path picked at random gets junk, a hostile string, or is
 * removed. Cases then fail on exactly one field (and the message must name it), instead of on whatever comes first.
 */
export function mutate<T>(clean: fc.Arbitrary<T>, count = 1): fc.Arbitrary<unknown> {
  const change = fc.oneof({ weight: 3, arbitrary: junk }, { weight: 1, arbitrary: fc.constantFrom(...hostileNames) }, { weight: 2, arbitrary: fc.constant(DELETE) });
  return fc.tuple(clean, fc.array(fc.tuple(fc.nat(), change), { minLength: count, maxLength: count })).map(([v, changes]) => {
    let out: unknown = v;
    for (const [i, next] of changes) {
      const paths = pathsOf(out);
      if (paths.length === 0) break;
      out = replaceAt(out, paths[i % paths.length]!, next);
    }
    return out;
  });
}

/** Mostly clean, often one mutation, sometimes three. */
export const wellFormedOrMutated = <T>(clean: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 5, arbitrary: clean }, { weight: 4, arbitrary: mutate(clean, 1) }, { weight: 1, arbitrary: mutate(clean, 3) });

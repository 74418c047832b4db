// Turns zod issues into short English messages that name the field path, without loading a zod locale
// (zod/mini ships none, so its default message is just "Invalid input"; a locale would cost start-up time).

/** The structural part of a zod issue that we read (zod's own types stay out of the public surface). */
export interface IssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly input?: unknown;
  readonly expected?: string;
  readonly format?: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly divisor?: number;
  readonly errors?: readonly (readonly IssueLike[])[];
}

export interface ZodErrorLike {
  readonly issues: readonly IssueLike[];
}

export function isZodErrorLike(e: unknown): e is ZodErrorLike {
  if (typeof e !== 'object' || e === null) return false;
  const name = (e as { name?: unknown }).name;
  return (name === 'ZodError' || name === '$ZodError') && Array.isArray((e as { issues?: unknown }).issues);
}

/** `ipam.ranges[0][0].subnet`; keys that are not identifiers are quoted: `args["cni.dev/x"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v;
}

function bound(issue: IssueLike, word: 'least' | 'most'): string {
  const n = String(word === 'least' ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') return `must be at ${word} ${n} characters long`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have at ${word} ${n} items`;
  // Words rather than ">=": Go's JSON encoder (which we match) would print "<" and ">" as \u003c and \u003e.
  if (issue.inclusive === false) return `must be ${word === 'least' ? 'greater' : 'less'} than ${n}`;
  return `must be at ${word} ${n}`;
}

const formatNames: Record<string, string> = {
  cidrv4: 'IPv4 CIDR',
  cidrv6: 'IPv6 CIDR',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  mac: 'MAC address',
  regex: 'value (no match for the pattern)',
};

/** One issue's message without its path. A message set by the schema author (a refine) is used as is. */
export function describeIssue(issue: IssueLike): string {
  if (issue.message !== '' && issue.message !== 'Invalid input') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined && !('input' in issue)
        ? `expected ${String(issue.expected)}`
        : `expected ${String(issue.expected)}, got ${kindOf(issue.input)}`;
    case 'too_small':
      return bound(issue, 'least');
    case 'too_big':
      return bound(issue, 'most');
    case 'invalid_format': {
      const what = formatNames[String(issue.format)] ?? String(issue.format);
      return issue.input === undefined ? `invalid ${what}` : `invalid ${what}: ${JSON.stringify(issue.input)}`;
    }
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key(s) ${(issue.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_union': {
      // Name the closest alternative's first problem: it is usually the one the author meant.
      const first = issue.errors?.find((list) => list.length > 0)?.[0];
      return first ? `no alternative matched (${formatIssue(first, issue.path)})` : 'no alternative matched';
    }
    default:
      return 'invalid value';
  }
}

/** "path: message", or just the message for an issue on the root value. */
export function formatIssue(issue: IssueLike, parentPath: readonly PropertyKey[] = []): string {
  const path = formatPath([...parentPath, ...issue.path]);
  const msg = describeIssue(issue);
  return path === '' ? msg : `${path}: ${msg}`;
}

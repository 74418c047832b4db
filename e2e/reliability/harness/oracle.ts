// The fuzz oracle: is this outcome one a runtime can rely on? Exactly two shapes are allowed:
// exit 0 with the verb's output (ADD: a result valid for the config's cniVersion, by skel's result schemas;
// VERSION: the version document; every other verb: nothing), or exit 1 with one CNI error document.
// Never a stack trace or any other text on stdout, never a hang, never a secret of the config anywhere.
import { isCniVersion, resultSchema } from '@cni-ts/skel';
import type { Outcome } from './targets.ts';

export interface OracleInput {
  command: string | undefined;
  /** the config's cniVersion as sent ('' or absent means 0.1.0) */
  declaredVersion: unknown;
  outcome: Outcome;
  /** values that must never be printed (the config's secrets) */
  secrets: readonly string[];
}

const STACK_FRAME = /\n\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)/;

export function outcomeProblems({ command, declaredVersion, outcome, secrets }: OracleInput): string[] {
  const found: string[] = [];
  if (outcome.timedOut) return [`hang: no answer within ${outcome.ms} ms`];
  if (outcome.stray) found.push(`text outside the protocol: ${outcome.stray.slice(0, 300)}`);
  if (STACK_FRAME.test(outcome.stdout)) found.push('stack trace on stdout');
  for (const s of secrets) {
    if (outcome.stdout.includes(s)) found.push(`secret ${JSON.stringify(s)} on stdout`);
    if (outcome.stderr.includes(s)) found.push(`secret ${JSON.stringify(s)} on stderr`);
  }
  if (command === undefined || command === '') {
    if (outcome.code !== 0 || outcome.stdout !== '') found.push(`no CNI_COMMAND: exit ${outcome.code}, stdout ${JSON.stringify(outcome.stdout)}`);
    return found;
  }
  let json: unknown;
  if (outcome.stdout !== '') {
    try {
      json = JSON.parse(outcome.stdout);
    } catch {
      return [...found, `stdout is not one JSON document: ${JSON.stringify(outcome.stdout.slice(0, 300))}`];
    }
  }
  if (outcome.code === 1) return [...found, ...errorProblems(json)];
  if (outcome.code !== 0) return [...found, `exit code ${outcome.code} (stdout ${outcome.stdout.slice(0, 200)})`];
  if (command === 'ADD') found.push(...resultProblems(json, declaredVersion));
  else if (command === 'VERSION') {
    const v = json as { cniVersion?: unknown; supportedVersions?: unknown } | undefined;
    if (typeof v?.cniVersion !== 'string' || !Array.isArray(v.supportedVersions)) found.push(`bad VERSION document ${outcome.stdout}`);
  } else if (outcome.stdout !== '') found.push(`${command} succeeded but printed ${outcome.stdout.slice(0, 200)}`);
  return found;
}

function errorProblems(json: unknown): string[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [`exit 1 without an error object: ${JSON.stringify(json)}`];
  const e = json as Record<string, unknown>;
  const found: string[] = [];
  if (typeof e.code !== 'number' || !Number.isInteger(e.code) || e.code <= 0) found.push(`error code ${JSON.stringify(e.code)} is not a positive integer`);
  if (typeof e.msg !== 'string' || e.msg === '') found.push('error without a msg');
  if (e.details !== undefined && typeof e.details !== 'string') found.push('error details not a string');
  const extra = Object.keys(e).filter((k) => !['code', 'msg', 'details', 'cniVersion'].includes(k));
  if (extra.length > 0) found.push(`unexpected keys in the error: ${extra.join(', ')}`);
  return found;
}

function resultProblems(json: unknown, declaredVersion: unknown): string[] {
  const version = typeof declaredVersion === 'string' && declaredVersion !== '' ? declaredVersion : '0.1.0';
  if (!isCniVersion(version)) return [`ADD succeeded for an unsupported cniVersion ${JSON.stringify(declaredVersion)}`];
  const r = json as { cniVersion?: unknown } | undefined;
  if (r?.cniVersion !== version) return [`result cniVersion ${JSON.stringify(r?.cniVersion)}, config asked for ${version}`];
  const parsed = resultSchema(version).safeParse(json);
  return parsed.success ? [] : [`result not valid for ${version}: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`];
}

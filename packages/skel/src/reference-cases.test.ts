// Every recorded reference case whose answer comes from Go's skel, replayed against a plugin built on our skel:
// same exit code, same stdout bytes, same stderr (test/reference/*.json, recorded from the Go bridge plugin).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixturePlugin } from '../test/fixture-plugin/plugin.ts';
import type { DelegateRequest, DelegateRunner } from './delegate.ts';
import { runWithIo } from './testing/run-with-io.ts';
import type { CniVersion } from './versions.ts';

interface RecordedCase {
  case: string;
  invocation: { env: Record<string, string>; stdin: unknown };
  exitCode: number;
  stdoutRaw: string;
  stderr: string;
}

const load = (name: string): RecordedCase =>
  JSON.parse(readFileSync(new URL(`../test/reference/${name}.json`, import.meta.url), 'utf8')) as RecordedCase;

// The recorded plugin was built with CNI library 1.0.x: it supports up to 1.0.0 and has no version string.
const goSupported: CniVersion[] = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0'];
const asRecorded = { ...fixturePlugin, name: 'bridge', version: 'version unknown', supportedVersions: goSupported };

/** Stands in for host-local; records every call so a test can see whether the plugin callback ran. */
function fakeIpam(): DelegateRunner & { calls: DelegateRequest[] } {
  const calls: DelegateRequest[] = [];
  return {
    calls,
    async exec(req) {
      calls.push(req);
      return req.command === 'ADD' ? JSON.stringify({ cniVersion: '1.1.0', ips: [{ address: '10.201.0.2/16', gateway: '10.201.0.1' }] }) : '';
    },
  };
}

async function replay(c: RecordedCase, runner?: DelegateRunner) {
  const stdin = typeof c.invocation.stdin === 'string' ? c.invocation.stdin : JSON.stringify(c.invocation.stdin);
  return runWithIo(asRecorded, { env: c.invocation.env, stdin, ...(runner ? { delegateRunner: runner } : {}) });
}

describe('errors and edge cases answered by skel, byte for byte', () => {
  const errorCases = [
    'unknown-cni-command',
    'missing-cni-containerid',
    'missing-cni-netns',
    'missing-cni-ifname',
    'missing-cni-path',
    'invalid-containerid',
    'invalid-ifname',
    'bad-json',
    'empty-stdin',
    'unknown-cni-version',
    'check-0.3.1',
  ];
  test.each(errorCases)('%s', async (name) => {
    const c = load(name);
    const ipam = fakeIpam();
    const out = await replay(c, ipam);
    expect(out.stdout).toBe(c.stdoutRaw);
    expect(out.code).toBe(c.exitCode);
    expect(out.stderr).toBe(c.stderr);
    expect(ipam.calls).toEqual([]); // rejected before the plugin callback ran
  });

  test('missing-cni-command: the about banner on stderr, exit 0', async () => {
    const c = load('missing-cni-command');
    const out = await replay(c, fakeIpam());
    expect([out.code, out.stdout, out.stderr]).toEqual([c.exitCode, c.stdoutRaw, c.stderr]);
  });

  test('missing-cni-version: the config is read as 0.1.0 and the result printed as 0.1.0', async () => {
    const c = load('missing-cni-version');
    const out = await replay(c, fakeIpam());
    expect([out.code, out.stdout, out.stderr]).toEqual([c.exitCode, c.stdoutRaw, c.stderr]);
  });

  test.each(['del-never-added', 'del-never-added-no-netns', 'del-never-added-empty-netns'])('%s succeeds silently', async (name) => {
    const c = load(name);
    const ipam = fakeIpam();
    const out = await replay(c, ipam);
    expect([out.code, out.stdout, out.stderr]).toEqual([c.exitCode, c.stdoutRaw, c.stderr]);
    expect(ipam.calls.map((x) => x.command)).toEqual(['DEL']); // the plugin did run its DEL
  });

  test('ipam-plugin-not-found: the delegate is looked up on CNI_PATH with the reference message', async () => {
    const c = load('ipam-plugin-not-found');
    const out = await replay(c); // the real exec runner; the recorded CNI_PATH directory no longer exists
    expect([out.code, out.stdout, out.stderr]).toEqual([c.exitCode, c.stdoutRaw, c.stderr]);
  });
});

describe('VERSION', () => {
  test.each(['version', 'version-unknown-cni-version'])('%s: the same answer, except that our newest version is 1.1.0', async (name) => {
    const c = load(name);
    const out = await replay(c);
    expect(out.code).toBe(c.exitCode);
    expect(out.stdout).toBe(c.stdoutRaw.replace('"cniVersion":"1.0.0"', '"cniVersion":"1.1.0"'));
  });
  test('a plugin with the default versions lists all seven', async () => {
    const out = await runWithIo(fixturePlugin, { env: { CNI_COMMAND: 'VERSION' } });
    expect(out.stdout).toBe('{"cniVersion":"1.1.0","supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}\n');
  });
});

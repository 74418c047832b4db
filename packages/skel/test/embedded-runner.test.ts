// In-process delegation must be indistinguishable from executing the delegate. The IPAM fixture is bundled as a
// real executable with the build marker written by the real build step (scripts/same-build.mjs); every case runs
// once through the exec runner and once through the embedded runner, and the answers must be identical:
// stdout, or the CniError (code, msg, details), and what the delegate wrote to stderr.
import { build } from 'esbuild';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDelegate, type DelegateRequest, type DelegateRunner } from '../src/delegate.ts';
import { createEmbeddedRunner, hasAbandonedDelegates } from '../src/embedded-runner.ts';
import { CniError } from '../src/errors.ts';
import { createExecRunner } from '../src/exec-runner.ts';
import { readBuildMarker } from '../src/same-build.ts';
import { runWithIo } from '../src/testing/run-with-io.ts';
import { fixtureIpam } from './fixture-ipam/plugin.ts';
import { fixturePlugin } from './fixture-plugin/plugin.ts';
import { pluginBundleOptions } from '../../../scripts/esbuild-options.mjs';

const buildId = 'test-build-1';
let dir = '';
let bin = '';

type MarkExecutable = (file: string, m: { name: string; id: string }) => void;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skel-embedded-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  const file = join(bin, 'fixture-ipam');
  await build({
    ...pluginBundleOptions({ version: '0.1.0' }),
    entryPoints: [new URL('./fixture-ipam/main.ts', import.meta.url).pathname],
    outfile: file,
    banner: { js: '#!/usr/bin/env node' },
  });
  writeFileSync(join(bin, 'package.json'), '{ "type": "commonjs" }\n');
  const { markExecutable } = (await import(new URL('../../../scripts/same-build.mjs', import.meta.url).href)) as { markExecutable: MarkExecutable };
  markExecutable(file, { name: 'fixture-ipam', id: buildId });
  chmodSync(file, 0o755);
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Sides {
  exec: DelegateRunner;
  embedded: DelegateRunner;
  execStderr: string[];
  embeddedStderr: string[];
  loads: () => number;
}

function sides(opts: { buildId?: string } = {}): Sides {
  const execStderr: string[] = [];
  const embeddedStderr: string[] = [];
  let loads = 0;
  return {
    exec: createExecRunner({ stderr: (s) => execStderr.push(s) }),
    embedded: createEmbeddedRunner({
      buildId: opts.buildId ?? buildId,
      plugins: {
        'fixture-ipam': () => {
          loads++;
          return fixtureIpam;
        },
      },
      fallback: createExecRunner({ stderr: (s) => embeddedStderr.push(s) }),
      stderr: (s) => embeddedStderr.push(s),
    }),
    execStderr,
    embeddedStderr,
    loads: () => loads,
  };
}

const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  CNI_CONTAINERID: 'c-embedded',
  CNI_NETNS: '/var/run/netns/skel-embedded-none',
  CNI_IFNAME: 'eth0',
  FIXTURE_ENV: 'from-env',
};

function request(command: DelegateRequest['command'], ipam: object, over: Partial<DelegateRequest> = {}): DelegateRequest {
  const conf = { cniVersion: '1.0.0', name: 'n', ipam: { type: 'fixture-ipam', ...ipam } };
  return {
    type: 'fixture-ipam',
    command,
    stdin: Buffer.from(JSON.stringify(conf)),
    env: { ...env, CNI_COMMAND: command, CNI_PATH: bin },
    cniPath: [join(dir, 'missing'), bin],
    timeoutMs: 20_000,
    ...over,
  };
}

type Outcome = { ok: string } | { err: { code: number; msg: string; details: string | undefined } };

async function outcome(p: Promise<string>): Promise<Outcome> {
  try {
    return { ok: await p };
  } catch (e) {
    if (!(e instanceof CniError)) throw e;
    return { err: { code: e.code, msg: e.msg, details: e.details } };
  }
}

const cases: Array<[string, DelegateRequest['command'], object]> = [
  ['ADD succeeds', 'ADD', {}],
  ['ADD with a log line on stderr', 'ADD', { say: 'allocating' }],
  ['ADD fails with a CNI error', 'ADD', { fail: { code: 11, msg: 'store locked', details: 'try later' } }],
  ['ADD fails with a plain error (999)', 'ADD', { throwPlain: 'kaput' }],
  ['ADD with a bad config field (7)', 'ADD', { mtu: 5 }],
  ['DEL succeeds', 'DEL', {}],
  ['DEL fails', 'DEL', { fail: { code: 3, msg: 'unknown container' } }],
  ['CHECK succeeds', 'CHECK', {}],
  ['CHECK fails, logging first', 'CHECK', { say: 'checking', fail: { code: 100, msg: 'address missing', details: 'eth0' } }],
  ['STATUS fails', 'STATUS', { fail: { code: 50, msg: 'plugin not available' } }],
  ['GC succeeds', 'GC', {}],
];

describe('the embedded runner answers exactly as the exec runner', () => {
  test.each(cases)('%s', async (_name, command, ipam) => {
    const s = sides();
    const req = request(command, ipam);
    const viaExec = await outcome(s.exec.exec(req));
    const inProcess = await outcome(s.embedded.exec(req));
    expect(s.loads()).toBe(1); // it did run in-process
    expect(inProcess).toEqual(viaExec);
    expect(s.embeddedStderr.join('')).toBe(s.execStderr.join(''));
  });

  test('the delegate sees the same stdin, env (CNI_COMMAND replaced) and ids', async () => {
    const s = sides();
    const req = request('ADD', {});
    const ok = await outcome(s.embedded.exec(req));
    expect(ok).toEqual(await outcome(s.exec.exec(req)));
    expect(JSON.parse((ok as { ok: string }).ok).dns.search).toEqual(['ADD', 'c-embedded', 'eth0', 'from-env', String(req.stdin.length)]);
  });

  test('secrets in the config are redacted the same way in what the delegate prints', async () => {
    const s = sides();
    const conf = { cniVersion: '1.0.0', name: 'n', secretToken: 's3cr3t-value', ipam: { type: 'fixture-ipam', say: 'token s3cr3t-value', fail: { code: 11, msg: 'no s3cr3t-value' } } };
    const req = request('ADD', {}, { stdin: Buffer.from(JSON.stringify(conf)) });
    const inProcess = await outcome(s.embedded.exec(req));
    expect(inProcess).toEqual(await outcome(s.exec.exec(req)));
    expect(JSON.stringify(inProcess) + s.embeddedStderr.join('')).not.toContain('s3cr3t-value');
  });

  test('a timed-out delegate: the same code-11 error', async () => {
    const s = sides();
    const req = request('ADD', { sleepMs: 5_000 }, { timeoutMs: 300 });
    const inProcess = await outcome(s.embedded.exec(req));
    expect(inProcess).toEqual(await outcome(s.exec.exec(req)));
    expect(inProcess).toEqual({ err: { code: 11, msg: 'plugin "fixture-ipam" timed out after 300 ms (ADD)', details: undefined } });
    expect(hasAbandonedDelegates()).toBe(true);
  });

  test('through a whole plugin: the parent prints the same thing either way', async () => {
    const stdin = JSON.stringify({ cniVersion: '0.4.0', name: 'n', ipam: { type: 'fixture-ipam', say: 'hi' } });
    const runEnv = { ...env, CNI_COMMAND: 'ADD', CNI_PATH: bin };
    const viaExec = await runWithIo(fixturePlugin, { env: runEnv, stdin, delegateRunner: createExecRunner() });
    const inProcess = await runWithIo(fixturePlugin, { env: runEnv, stdin, delegateRunner: sides().embedded });
    expect(inProcess).toEqual(viaExec);
    expect(viaExec.code).toBe(0);
  });
});

describe('anything but this build is executed', () => {
  async function executes(s: Sides, req: DelegateRequest): Promise<void> {
    const viaExec = await outcome(s.exec.exec(req));
    expect(await outcome(s.embedded.exec(req))).toEqual(viaExec);
    expect(s.loads()).toBe(0);
  }

  test('another build id', async () => {
    await executes(sides({ buildId: 'another-build' }), request('ADD', {}));
  });

  test('a file changed after the build (its size no longer matches the marker)', async () => {
    const other = join(dir, 'changed');
    mkdirSync(other, { recursive: true });
    copyFileSync(join(bin, 'fixture-ipam'), join(other, 'fixture-ipam'));
    copyFileSync(join(bin, 'package.json'), join(other, 'package.json'));
    appendFileSync(join(other, 'fixture-ipam'), '\n// edited\n');
    expect(readBuildMarker(join(other, 'fixture-ipam'))).toBeUndefined();
    await executes(sides(), request('ADD', {}, { cniPath: [other] }));
  });

  test('a file of this build that is another plugin', async () => {
    const other = join(dir, 'renamed');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'fixture-ipam'), `#!/bin/sh\n// cni-ts-build static ${buildId} 0\n`); // an empty body
    chmodSync(join(other, 'fixture-ipam'), 0o755);
    expect(readBuildMarker(join(other, 'fixture-ipam'))?.name).toBe('static');
    await executes(sides(), request('ADD', {}, { cniPath: [other] }));
  });

  test('a script without a marker', async () => {
    const other = join(dir, 'plain');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'fixture-ipam'), `#!/bin/sh\nprintf '%s' '{"cniVersion":"1.0.0","ips":[{"address":"10.1.1.1/24"}]}'\n`);
    chmodSync(join(other, 'fixture-ipam'), 0o755);
    await executes(sides(), request('ADD', {}, { cniPath: [other] }));
  });

  test('a type the executable does not embed, and a missing plugin: the exec runner\'s errors', async () => {
    await executes(sides(), request('ADD', {}, { type: 'other-ipam' }));
    await executes(sides(), request('ADD', {}, { cniPath: [join(dir, 'missing')] }));
  });
});

describe('build markers', () => {
  test('the marker the build writes is the one skel reads, with the body length', () => {
    const m = readBuildMarker(join(bin, 'fixture-ipam'));
    expect(m).toMatchObject({ name: 'fixture-ipam', buildId });
  });

  test('createDelegate passes the embedded answer on as a parsed result', async () => {
    const req = request('ADD', {});
    const d = createDelegate({ runner: sides().embedded, stdin: req.stdin, env: { ...env, CNI_PATH: bin }, cniPath: [bin], cniVersion: '1.0.0', timeoutMs: 20_000 });
    expect((await d.add('fixture-ipam')).ips).toEqual([{ address: '10.9.0.2/24', gateway: '10.9.0.1' }]);
  });
});

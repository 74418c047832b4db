import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launchCommands, runningDnsmasqPid, startDnsmasq, stopDnsmasq } from './daemon.ts';
import { findDnsmasq } from './find-binary.ts';
import { networkPaths } from '../state/paths.ts';

describe('dnsmasq process handling', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'dq-daemon-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const script = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('puts dnsmasq in a systemd scope when systemd-run exists, with a plain spawn as fallback', () => {
    const paths = networkPaths('/run/cni/dnsmasq-ipam', 'n1');
    expect(launchCommands({ binary: '/usr/sbin/dnsmasq', paths, network: 'n1' })).toEqual([
      { via: 'spawn', argv: ['/usr/sbin/dnsmasq', '--conf-file=/run/cni/dnsmasq-ipam/n1/dnsmasq.conf'] },
    ]);
    expect(launchCommands({ binary: '/usr/sbin/dnsmasq', paths, network: 'n1', systemdRun: '/usr/bin/systemd-run' })[0]).toEqual({
      via: 'systemd-run',
      argv: ['/usr/bin/systemd-run', '-q', '--scope', '--unit=cni-dnsmasq-n1', '--collect', '--', '/usr/sbin/dnsmasq', '--conf-file=/run/cni/dnsmasq-ipam/n1/dnsmasq.conf'],
    });
  });

  it('passes dnsmasq\'s own message on when it fails to start (101)', () => {
    const fake = script('dnsmasq', 'echo "dnsmasq: failed to create listening socket for 10.0.0.1: Address already in use" >&2; exit 2');
    expect(() => startDnsmasq({ launchers: [{ via: 'spawn', argv: [fake] }] })).toThrow(expect.objectContaining({
      code: 101, msg: 'dnsmasq failed to start (exit 2)',
      details: expect.stringMatching(/^dnsmasq: failed to create listening socket for 10\.0\.0\.1: Address already in use; another DNS server holds port 53.*dns\.enable=false$/),
    }));
  });

  it('falls back to a plain spawn when systemd-run itself fails, but not when dnsmasq failed inside it', () => {
    const ok = script('dnsmasq', 'exit 0');
    const noBus = script('systemd-run', 'echo "Failed to connect to bus: No such file or directory" >&2; exit 1');
    const fallbacks: string[] = [];
    const used = startDnsmasq({ launchers: [{ via: 'systemd-run', argv: [noBus, ok] }, { via: 'spawn', argv: [ok] }], onFallback: (w) => fallbacks.push(w) });
    expect(used.via).toBe('spawn');
    expect(fallbacks).toEqual(['exit 1: Failed to connect to bus: No such file or directory']);

    const failing = script('dnsmasq-bad', 'echo "dnsmasq: bad option at line 3 of x" >&2; exit 1');
    const passThrough = script('systemd-run-ok', 'shift 5; exec "$@"');
    expect(() => startDnsmasq({ launchers: [{ via: 'systemd-run', argv: [passThrough, '-q', '--scope', '--unit=x', '--collect', '--', failing] }, { via: 'spawn', argv: [ok] }] }))
      .toThrow(expect.objectContaining({ code: 101, details: 'dnsmasq: bad option at line 3 of x' }));
  });

  it('finds a live daemon by pid file plus exact --conf-file, and stops it', async () => {
    const paths = networkPaths(join(dir, 'rün'), 'n1'); // a non-ASCII run directory: cmdline is read as UTF-8
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', `--conf-file=${paths.conf}`], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      // 'spawn' can come while the child is still inside execve, when its /proc cmdline reads empty.
      while (!readFileSync(`/proc/${child.pid}/cmdline`, 'latin1').includes('--conf-file')) await new Promise((r) => setTimeout(r, 2));
      expect(runningDnsmasqPid(paths)).toBeUndefined(); // no pid file
      writeFileSync(join(dir, 'n1.pid'), `${child.pid}\n`);
      const ours = { ...paths, pid: join(dir, 'n1.pid') };
      expect(runningDnsmasqPid(ours)).toBe(child.pid);
      expect(runningDnsmasqPid({ ...ours, conf: `${paths.conf}.other` })).toBeUndefined();
      expect(runningDnsmasqPid({ ...ours, conf: paths.conf.slice(0, -1) })).toBeUndefined(); // a prefix is not a match
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await stopDnsmasq(ours);
      await exited;
      expect(runningDnsmasqPid(ours)).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('finds the binary: configured path, PATH, then /usr/sbin and /sbin', () => {
    const fake = script('dnsmasq', 'exit 0');
    expect(findDnsmasq(fake, undefined)).toBe(fake);
    expect(findDnsmasq(undefined, `/nonexistent:${dir}`)).toBe(fake);
    expect(findDnsmasq(undefined, '/nonexistent')).toBe('/usr/sbin/dnsmasq'); // Debian's dnsmasq-base
    expect(() => findDnsmasq(join(dir, 'missing'), undefined)).toThrow(expect.objectContaining({
      code: 100, msg: 'dnsmasq-ipam: dnsmasq binary not found',
      details: expect.stringContaining(`ipam.dnsmasqPath "${join(dir, 'missing')}" does not exist`),
    }));
  });
});

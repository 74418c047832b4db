// Issue 10 item 4: secrets in a config (calico's `kubernetes.k8s_auth_token`, a `password`, an `apiKey`, nested
// `credentials`) never appear in an error or a log line: not when a message quotes the bad value, not in debug
// logs, not when a delegated plugin prints them on its stderr or in its error. Real executables, debug logging on.
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { World } from '../harness/world.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.k8s-token-7f3a';
const PASSWORD = 'hunter2-but-longer';
const KEY = 'AKIA-not-a-real-key-42';
const secrets = { kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig', k8s_auth_token: TOKEN }, password: PASSWORD };
const ipamSecrets = { apiKey: KEY, credentials: { user: 'cni', password: PASSWORD } };

it('no secret reaches stdout or stderr, whichever plugin fails or succeeds, even when a message quotes the value', async () => {
  await using world = await World.create({ kernel: true });
  // A third-party IPAM plugin that leaks: it prints the token on stderr (split over two writes) and in its error.
  const leakyDir = join(world.dir, 'leaky-bin');
  await mkdir(leakyDir);
  const leaky = join(leakyDir, 'leaky-ipam');
  await writeFile(leaky, `#!/bin/sh\ncat >/dev/null\nprintf 'my config has k8s_auth_token=${TOKEN.slice(0, 10)}' >&2\nsleep 0.05\nprintf '${TOKEN.slice(10)} and ${PASSWORD}\\n' >&2\necho '{"code":7,"msg":"bad credentials ${KEY}","details":"token ${TOKEN}"}'\nexit 1\n`);
  await chmod(leaky, 0o755);
  await symlink(join(world.binDir, 'bridge'), join(leakyDir, 'bridge'));
  const dataDir = world.dataDir;
  const cases: Array<{ plugin: string; conf: Record<string, unknown>; cniPath?: string; ok?: boolean }> = [
    { plugin: 'host-local', conf: { ...secrets, ipam: { type: 'host-local', dataDir, ranges: [[{ subnet: '10.99.0.0/24' }]], ...ipamSecrets } }, ok: true },
    // the secret is also the value of a field whose error message quotes it
    { plugin: 'host-local', conf: { ...secrets, ipam: { type: 'host-local', dataDir, subnet: TOKEN, ...ipamSecrets } } },
    { plugin: 'static', conf: { ...secrets, ipam: { type: 'static', addresses: [{ address: PASSWORD }], ...ipamSecrets } } },
    { plugin: 'static', conf: { ...secrets, ipam: { type: 'static', addresses: [{ address: '10.10.0.5/24' }], ...ipamSecrets } }, ok: true },
    { plugin: 'bridge', conf: { ...secrets, bridge: KEY, ipam: { type: 'host-local', dataDir, subnet: '10.99.0.0/24', ...ipamSecrets } } },
    { plugin: 'bridge', conf: { ...secrets, bridge: `sc${world.suffix}`, ipam: { type: 'host-local', dataDir, subnet: '10.99.0.0/24', ...ipamSecrets } }, ok: true },
    { plugin: 'bridge', conf: { ...secrets, bridge: `sc${world.suffix}`, ipam: { type: 'leaky-ipam', ...ipamSecrets } }, cniPath: leakyDir },
    { plugin: 'dnsmasq-ipam', conf: { ...secrets, bridge: `sc${world.suffix}`, ipam: { type: 'dnsmasq-ipam', subnet: TOKEN, runDir: world.runDir, ...ipamSecrets } } },
    { plugin: 'bridge', conf: { ...secrets, bridge: `sc${world.suffix}`, ipam: { type: 'dnsmasq-ipam', subnet: '10.204.0.0/24', runDir: world.runDir, timeoutMs: PASSWORD, ...ipamSecrets } } },
  ];
  const seen: string[] = [];
  for (const [i, c] of cases.entries()) {
    for (const command of ['ADD', 'CHECK', 'DEL']) {
      const stdin = Buffer.from(JSON.stringify({ cniVersion: '1.1.0', name: `sec-${world.suffix}`, type: c.plugin, ...c.conf }));
      const out = await world.run({
        plugin: c.plugin,
        env: { CNI_COMMAND: command, CNI_CONTAINERID: `s${i}`, CNI_IFNAME: 'eth0', CNI_NETNS: world.container!.path, CNI_PATH: c.cniPath ?? world.binDir, CNI_TS_LOG_LEVEL: 'debug' },
        stdin,
      }, 'exec', 30_000);
      if (command === 'ADD') expect(out.code, `case ${i}: ${out.stdout}`).toBe(c.ok ? 0 : 1);
      for (const s of [TOKEN, PASSWORD, KEY, TOKEN.slice(10)]) {
        expect(out.stdout, `case ${i} ${command} stdout`).not.toContain(s);
        expect(out.stderr, `case ${i} ${command} stderr`).not.toContain(s);
      }
      seen.push(out.stdout, out.stderr);
    }
  }
  // Not vacuous: the messages that would have quoted a secret were printed, redacted.
  const all = seen.join('\n');
  expect(all).toContain('[redacted]');
  expect(all).toContain('invalid CIDR address: \\"[redacted]\\"');
  expect(all).toMatch(/bad credentials \[redacted\]/);
});

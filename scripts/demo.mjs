#!/usr/bin/env node
// README command A, the showcase: the bridge and host-local plugins from dist/bin wire two "containers" to a
// bridge, as a container runtime would, and everything happens in throwaway namespaces:
//
//   demo-<id>-host   plays the host: the bridge, the host ends of the veths, the gateway address and the
//                    forwarding sysctl live here (the plugins run inside it via `ip netns exec`)
//   demo-<id>-a, -b  play the containers: each gets eth0 with an address from host-local
//
// Steps: ADD both containers (printing the results), ping b from a, CHECK both, DEL both, and then remove the
// namespaces and the IPAM state, also when a step fails. The machine's own network is never touched.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = resolve('dist/bin');
const id = randomBytes(3).toString('hex');
const ns = { host: `demo-${id}-host`, a: `demo-${id}-a`, b: `demo-${id}-b` };
const dataDir = mkdtempSync(join(tmpdir(), 'cni-demo-'));

const config = {
  cniVersion: '1.1.0',
  name: 'demo',
  type: 'bridge',
  bridge: 'demo0',
  isGateway: true,
  ipam: { type: 'host-local', subnet: '10.250.0.0/24', dataDir },
};

const ip = (...args) => execFileSync('ip', args, { encoding: 'utf8' });
const say = (text) => process.stdout.write(`\n== ${text}\n`);

/** Runs the bridge plugin inside the host namespace, exactly as a runtime would exec it. */
function cni(command, container, conf) {
  const env = {
    PATH: process.env.PATH,
    CNI_COMMAND: command,
    CNI_CONTAINERID: `demo-${id}-${container}`,
    CNI_NETNS: `/var/run/netns/${ns[container]}`,
    CNI_IFNAME: 'eth0',
    CNI_PATH: bin,
  };
  const run = spawnSync('ip', ['netns', 'exec', ns.host, join(bin, 'bridge')], { env, input: JSON.stringify(conf), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} ${container} failed (exit ${run.status}): ${run.stdout}${run.stderr}`);
  return run.stdout;
}

function main() {
  for (const plugin of ['bridge', 'host-local']) {
    if (!existsSync(join(bin, plugin))) throw new Error(`${join(bin, plugin)} is missing: run \`pnpm build\` first`);
  }
  say(`creating namespaces ${ns.host} (host), ${ns.a} and ${ns.b} (containers)`);
  for (const name of Object.values(ns)) {
    ip('netns', 'add', name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
  }

  const results = {};
  for (const c of ['a', 'b']) {
    say(`ADD container ${c}`);
    const out = cni('ADD', c, config);
    process.stdout.write(`${out}\n`);
    results[c] = JSON.parse(out);
  }

  const target = results.b.ips[0].address.split('/')[0];
  say(`ping ${target} (container b) from container a`);
  process.stdout.write(execFileSync('ip', ['netns', 'exec', ns.a, 'ping', '-c', '2', '-W', '2', target], { encoding: 'utf8' }));

  for (const c of ['a', 'b']) {
    say(`CHECK container ${c}`);
    cni('CHECK', c, { ...config, prevResult: results[c] });
    process.stdout.write('ok\n');
  }
  for (const c of ['a', 'b']) {
    say(`DEL container ${c}`);
    cni('DEL', c, { ...config, prevResult: results[c] });
    process.stdout.write(`ok; eth0 gone: ${!ip('-n', ns[c], '-o', 'link').includes('eth0')}\n`);
  }
}

try {
  main();
  say('done');
} catch (err) {
  process.stderr.write(`\ndemo failed: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  // Deleting the host namespace takes the bridge, the veths and every rule with it.
  for (const name of Object.values(ns)) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(`cleaned up: namespaces removed, ${dataDir} removed\n`);
}

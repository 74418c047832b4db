// A DHCP server that refuses everything: it answers every client message with a NAK for the same xid, broadcast.
// Runs with node inside the lab's host namespace; the fixture adds a limited-broadcast route there for it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ip } from '@cni-ts/netlink/testing';
import type { Lab } from './lab.ts';

const SCRIPT = String.raw`
const s = require('dgram').createSocket({ type: 'udp4', reuseAddr: true });
s.on('message', (m) => {
  if (m[0] !== 1) return;
  const out = Buffer.alloc(300);
  m.copy(out, 0, 0, 240);
  out[0] = 2;
  Buffer.from([53, 1, 6, 54, 4, 10, 204, 0, 1, 56, 14]).copy(out, 240);
  Buffer.from('address in use').copy(out, 251);
  out[265] = 255;
  s.send(out, 68, '255.255.255.255');
});
s.bind(67, () => { s.setBroadcast(true); process.stdout.write('ready\n'); });
`;

export async function startNakServer(lab: Lab): Promise<ChildProcess> {
  ip(['-n', lab.host.name, 'route', 'add', '255.255.255.255/32', 'dev', lab.bridge]);
  const child = spawn('ip', ['netns', 'exec', lab.host.name, process.execPath, '-e', SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`NAK server exited with ${code}`)));
  });
  return child;
}

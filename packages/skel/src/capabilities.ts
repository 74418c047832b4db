// Plugins that change the kernel's network state (bridge, dnsmasq-ipam) cannot do anything useful without
// CAP_NET_ADMIN and friends. Without them every netlink call fails with a bare EPERM deep inside a step; a plugin
// declares what it needs instead, and skel refuses at once, before reading the config, with a message that
// says what is missing and what to do. /proc/self/status is read once (no syscall wrapper, no native code).
import { readFileSync } from 'node:fs';
import { CniError, ErrorCode } from './errors.ts';

/** The capabilities a plugin may declare (linux/capability.h numbers). */
export const LinuxCapability = {
  net_bind_service: 10,
  net_admin: 12,
  net_raw: 13,
  sys_admin: 21,
} as const;
export type LinuxCapability = keyof typeof LinuxCapability;

/** The effective capability set of this process, or undefined when /proc cannot tell (then nothing is refused). */
export function effectiveCapabilities(status = '/proc/self/status'): bigint | undefined {
  try {
    const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(status, 'utf8'));
    return line?.[1] === undefined ? undefined : BigInt(`0x${line[1]}`);
  } catch {
    return undefined; // no /proc (a chroot, an odd sandbox): the kernel will say EPERM itself
  }
}

/** Throws unless every capability in `needed` is effective. */
export function requireCapabilities(plugin: string, needed: readonly LinuxCapability[], effective = effectiveCapabilities()): void {
  if (needed.length === 0 || effective === undefined) return;
  const missing = needed.filter((c) => (effective & (1n << BigInt(LinuxCapability[c]))) === 0n);
  if (missing.length === 0) return;
  const names = (cs: readonly LinuxCapability[]) => cs.map((c) => `CAP_${c.toUpperCase()}`).join(', ');
  throw new CniError(
    ErrorCode.Internal,
    `${plugin} needs ${names(needed)}: this process lacks ${names(missing)}`,
    `run the plugin as root with its full capability set, as container runtimes do (uid ${process.getuid?.() ?? '?'})`,
  );
}

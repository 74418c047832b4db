// VERSION probing (libcni GetVersionInfo and version.PluginDecoder): which spec versions a plugin executable
// supports, with the decoding allowances libcni makes for plugins older than the VERSION verb.
import { isCniError, versions } from '@cni-ts/skel';

export interface VersionInfo {
  readonly cniVersion: string;
  readonly supportedVersions: readonly string[];
}

/** The stdin libcni sends with VERSION. */
export const versionProbeStdin = (): Buffer => Buffer.from(JSON.stringify({ cniVersion: versions.current }));

/** The dummy values libcni passes for plugins built on an old skel that required them. */
export const versionProbeEnv = { netns: 'dummy', ifName: 'dummy', path: 'dummy' } as const;

export function decodeVersionInfo(stdout: Buffer): VersionInfo {
  let info: { cniVersion?: unknown; supportedVersions?: unknown };
  try {
    info = JSON.parse(stdout.toString()) as typeof info;
    if (typeof info !== 'object' || info === null) throw new Error('not a JSON object');
  } catch (err) {
    throw new Error(`decoding version info: ${(err as Error).message}`, { cause: err });
  }
  const { cniVersion, supportedVersions } = info;
  if (typeof cniVersion !== 'string' || cniVersion === '') throw new Error('decoding version info: missing field cniVersion');
  if (!Array.isArray(supportedVersions) || supportedVersions.length === 0) {
    // A 0.2.0 plugin answered with its own version only.
    if (cniVersion === '0.2.0') return { cniVersion: versions.current, supportedVersions: ['0.1.0', '0.2.0'] };
    throw new Error('decoding version info: missing field supportedVersions');
  }
  if (!supportedVersions.every((v): v is string => typeof v === 'string')) {
    throw new Error('decoding version info: supportedVersions must be strings');
  }
  return { cniVersion, supportedVersions };
}

/** A plugin from before the VERSION verb says so with this error; it supports 0.1.0 only. */
export function versionInfoFromError(err: unknown): VersionInfo | undefined {
  if (isCniError(err) && err.msg === 'unknown CNI_COMMAND: VERSION' && err.details === undefined) {
    return { cniVersion: versions.current, supportedVersions: ['0.1.0'] };
  }
  return undefined;
}


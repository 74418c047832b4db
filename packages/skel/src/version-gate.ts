// Whether the config's cniVersion allows the verb for this plugin (checklist 1.7; Go: skel.checkVersionAndCall
// plus the per-verb "version >= X" blocks). Runs before the plugin callback.
import { CniError, ErrorCode } from './errors.ts';
import { goQuote, goQuoteList } from './go-json.ts';
import type { Verb } from './verbs.ts';
import { verbRules } from './verbs.ts';
import { type CniVersion, versionAtLeast } from './versions.ts';

/** Returns the config version as a supported CniVersion, or throws code 1 (or 6 for an unparsable version). */
export function gateVersion(verb: Verb, configVersion: string, supported: readonly CniVersion[]): CniVersion {
  const min = verbRules[verb].minVersion;
  if (min !== undefined) {
    if (!versionAtLeast(configVersion, min)) {
      throw new CniError(ErrorCode.IncompatibleCniVersion, `config version does not allow ${verb}`);
    }
    if (!supported.some((v) => versionAtLeast(v, configVersion))) {
      throw new CniError(ErrorCode.IncompatibleCniVersion, `plugin version does not allow ${verb}`);
    }
  }
  const match = supported.find((v) => v === configVersion);
  if (match === undefined) {
    throw new CniError(
      ErrorCode.IncompatibleCniVersion,
      'incompatible CNI versions',
      `config is ${goQuote(configVersion)}, plugin supports ${goQuoteList(supported)}`,
    );
  }
  return match;
}

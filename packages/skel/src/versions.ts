// The spec versions this implementation knows, and Go-compatible version comparison (pkg/version).
import { CniError, ErrorCode } from './errors.ts';

export type CniVersion = '0.1.0' | '0.2.0' | '0.3.0' | '0.3.1' | '0.4.0' | '1.0.0' | '1.1.0';

const all = ['0.1.0', '0.2.0', '0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] as const satisfies readonly CniVersion[];

export const versions: { readonly all: readonly CniVersion[]; readonly current: '1.1.0' } = { all, current: '1.1.0' };

export function isCniVersion(v: unknown): v is CniVersion {
  return typeof v === 'string' && (all as readonly string[]).includes(v);
}

/**
 * Parses "major[.minor[.micro]]" as Go's version.ParseVersion does: "" means 0.1.0, more than three parts or a
 * non-numeric part is a decoding failure (code 6) with Go's wording.
 */
export function parseVersion(v: string): [number, number, number] {
  if (v === '') return [0, 1, 0];
  const parts = v.split('.');
  if (parts.length >= 4) throw new CniError(ErrorCode.DecodingFailure, `invalid version ${JSON.stringify(v)}: too many parts`);
  const names = ['major', 'minor', 'micro'] as const;
  const out: [number, number, number] = [0, 0, 0];
  parts.forEach((part, i) => {
    if (!/^[+-]?\d+$/.test(part)) {
      throw new CniError(
        ErrorCode.DecodingFailure,
        `failed to convert ${names[i]} version part ${JSON.stringify(part)}: strconv.Atoi: parsing ${JSON.stringify(part)}: invalid syntax`,
      );
    }
    out[i] = Number(part);
  });
  return out;
}

/** Numeric major.minor.micro comparison: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function versionAtLeast(v: string, min: string): boolean {
  return compareVersions(v, min) >= 0;
}

// Builds canonical range sets from config-shaped JSON, through the same schema and checks the plugins use.
import { canonicalizeRangeSets, type RangeSet } from '../range-set.ts';
import { parseAt, RangeSetsConf, toRangeSetInputs } from '../schema.ts';

export function rangeSets(json: unknown, cniVersion = '1.1.0', path = 'ipam.ranges'): RangeSet[] {
  return canonicalizeRangeSets(toRangeSetInputs(parseAt(RangeSetsConf, json, path), path), { cniVersion, field: path });
}

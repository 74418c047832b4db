// The few shapes of `nft -j list ...` output we read. nft prints one object per table, chain and rule.
export interface NftRule {
  family: string;
  table: string;
  chain: string;
  handle: number;
  comment?: string;
  expr?: unknown[];
}
export interface NftChain {
  family: string;
  table: string;
  name: string;
  handle: number;
}
export interface NftListing {
  chains: NftChain[];
  rules: NftRule[];
}

export function parseNftListing(json: string): NftListing {
  const doc = JSON.parse(json) as { nftables?: Array<{ chain?: NftChain; rule?: NftRule }> };
  const items = doc.nftables ?? [];
  return {
    chains: items.flatMap((i) => (i.chain ? [i.chain] : [])),
    rules: items.flatMap((i) => (i.rule ? [i.rule] : [])),
  };
}

/** nft's answer when the table or chain listed does not exist (ENOENT): for us, an empty listing. */
export const isNftNotFound = (stderr: string): boolean => stderr.includes('No such file or directory');

// The verb → NLM_F_* map, in one place (iproute2's meaning of each verb).
import { NLM_F } from '../message/constants.ts';

export const VERB_FLAGS = {
  /** `ip ... add`: create; fail with EEXIST if it exists. */
  add: NLM_F.CREATE | NLM_F.EXCL,
  /** `ip ... replace`: create, or replace what exists. */
  replace: NLM_F.CREATE | NLM_F.REPLACE,
  /** `ip route append`: create, adding to (not replacing) routes to the same destination. */
  append: NLM_F.CREATE | NLM_F.APPEND,
  /** Links only: create, or change the existing link in place (the kernel rejects NLM_F_REPLACE for links). */
  createOrUpdate: NLM_F.CREATE,
  /** `ip ... set` / `ip ... del`: act on what exists. */
  modify: 0,
} as const;

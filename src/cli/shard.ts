import { createHash } from 'node:crypto';
import { parseDomainInput } from '../dns/name.js';

/** One of `count` parts of a list, numbered from 1 as `split -n l/K/N` numbers them. */
export interface Shard {
  index: number;
  count: number;
}

/** Enough for any cluster, small enough that `I/N` stays a typo-proof number. */
export const MAX_SHARDS = 1_000_000;

export type ShardParse = { ok: true; shard: Shard } | { ok: false; reason: string };

/** Reads `I/N` (1 ≤ I ≤ N). */
export function parseShard(text: string): ShardParse {
  const match = /^(\d{1,7})\/(\d{1,7})$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    return { ok: false, reason: `"${text}" is not I/N with 1 <= I <= N <= ${MAX_SHARDS} (e.g. 2/8)` };
  }
  return { ok: true, shard: { index, count } };
}

/**
 * The shard (1…count) a list line belongs to: the first 48 bits of the SHA-256 of the domain in its
 * checked form (A-label, lower case, no trailing dot; the trimmed line when it is no domain), as a
 * big-endian number, modulo count, plus 1. Any machine with the same list and count agrees, without
 * talking to the others, and `Example.COM.` lands where `example.com` does.
 */
export function shardOf(input: string, count: number): number {
  const parsed = parseDomainInput(input);
  const key = parsed.valid ? parsed.name : input.trim();
  return (createHash('sha256').update(key).digest().readUIntBE(0, 6) % count) + 1;
}

export function inShard(input: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(input, shard.count) === shard.index;
}

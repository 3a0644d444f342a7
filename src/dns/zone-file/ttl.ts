/** RFC 2181 §8: a TTL is an unsigned 31-bit number; larger values are to be read as zero. */
export const MAX_TTL = 0x7fffffff;

/** SOA timers (RFC 1035 §3.3.13) are 32-bit; BIND accepts TTL units in them too. */
export const MAX_UINT32 = 0xffffffff;

const SECONDS_PER_UNIT: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

const PLAIN_SECONDS = /^\d+$/;
const WITH_UNITS = /^(?:\d+[wdhms])+$/i;
const UNIT_PART = /(\d+)([wdhms])/gi;

/** Written like a TTL: plain seconds or a sum of number-unit parts such as `1h30m` or `2W`. */
export function looksLikeTtl(text: string): boolean {
  return PLAIN_SECONDS.test(text) || WITH_UNITS.test(text);
}

export type DurationReading = { ok: true; seconds: number } | { ok: false; reason: string };

/** Seconds written as a TTL (plain number or with units), at most `max`. */
export function readDuration(text: string, what: string, max: number): DurationReading {
  if (!looksLikeTtl(text)) {
    return { ok: false, reason: `${what} "${text}" is not a number of seconds (write seconds, or units as in 1h30m, 2d, 1w)` };
  }
  const seconds = PLAIN_SECONDS.test(text) ? Number(text) : sumOfUnits(text);
  if (seconds > max) return { ok: false, reason: `${what} ${text} is larger than ${max}` };
  return { ok: true, seconds };
}

function sumOfUnits(text: string): number {
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(UNIT_PART)) {
    seconds += Number(amount) * SECONDS_PER_UNIT[unit!.toLowerCase()]!;
  }
  return seconds;
}

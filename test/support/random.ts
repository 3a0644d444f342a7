/** Uniform in [0, 1). */
export type Random = () => number;

/**
 * mulberry32 (public domain, Tommy Ettinger): small, fast, seeded — so a fuzz failure replays from its
 * seed without a dependency. Good enough to spread test inputs; not for anything secret.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Record classes (RFC 1035 §3.2.4, RFC 6895 §3.2): mxlint reads and serves IN only, and names the others. */
export const CLASS_IN = 1;

const CLASS_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['IN', CLASS_IN], ['CS', 2], ['CH', 3], ['HS', 4], ['NONE', 254], ['ANY', 255],
]);

const GENERIC_CLASS = /^CLASS(\d{1,5})$/i;
const MAX_CLASS = 0xffff;

/** The class number of `IN`, `CH`, ... or RFC 3597 `CLASSnnn`; undefined if it is neither. */
export function rrclassNumber(text: string): number | undefined {
  const generic = GENERIC_CLASS.exec(text);
  if (generic !== null) {
    const number = Number(generic[1]);
    return number <= MAX_CLASS ? number : undefined;
  }
  return CLASS_NUMBERS.get(text.toUpperCase());
}

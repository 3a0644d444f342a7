/** Names listed in one message at most; the rest are counted ("and 12 more"): the JSON has them all. */
export const MAX_NAMES_IN_MESSAGE = 8;

/** "a, b, c and 4 more": each name once, at most MAX_NAMES_IN_MESSAGE of them. */
export function countedNames(items: readonly string[]): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, MAX_NAMES_IN_MESSAGE).join(', ');
  return unique.length > MAX_NAMES_IN_MESSAGE ? `${shown} and ${unique.length - MAX_NAMES_IN_MESSAGE} more` : shown;
}

import { drivesTerminal, escapeUntrusted } from '../core/escape.js';

/**
 * A copy of data as JSON would write it (a result, a run's summary), every string, keys included,
 * escaped as `escapeUntrusted` does. Results carry text from DNS, files, servers and input lines in many
 * places (messages, fixes, targets, records, sections, the input itself); escaping all of it
 * before a text-like reporter sees it leaves none to forget.
 */
export function escapeStrings<T>(value: T): T {
  // Most results hold nothing to escape: they are handed on as they are, not copied string by string.
  return needsCopy(value) ? escapedCopy(value) : value;
}

function escapedCopy<T>(value: T): T {
  if (typeof value === 'string') return escapeUntrusted(value) as T;
  if (Array.isArray(value)) return value.map(escapedCopy) as T;
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [escapeUntrusted(key), escapedCopy(entry)])) as T;
  }
  return value;
}

/**
 * Whether escapedCopy would give anything else than `value` itself: a string to escape, key or
 * value, or an object that is not plain data (its copy is a plain object).
 */
function needsCopy(value: unknown): boolean {
  if (typeof value === 'string') return drivesTerminal(value);
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) return value.some(needsCopy);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return true;
    if (drivesTerminal(key) || needsCopy((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

import { escapeUntrusted } from '../core/escape.js';

/**
 * A copy of data as JSON would write it (a result, a run's summary), every string, keys included,
 * escaped as `escapeUntrusted` does. Results carry text from DNS, files, servers and input lines in many
 * places (messages, fixes, targets, records, sections, the input itself); escaping all of it
 * before a text-like reporter sees it leaves none to forget.
 */
export function escapeStrings<T>(value: T): T {
  if (typeof value === 'string') return escapeUntrusted(value) as T;
  if (Array.isArray(value)) return value.map(escapeStrings) as T;
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [escapeUntrusted(key), escapeStrings(entry)])) as T;
  }
  return value;
}

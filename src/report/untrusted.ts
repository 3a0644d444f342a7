import { escapeUntrusted, jsonMayDriveTerminal } from '../core/escape.js';

/**
 * JSON data (a result, a run's summary) with every string, keys included, escaped as
 * `escapeUntrusted` does: the data itself when nothing in it needs escaping, else a copy. Results carry text from DNS, files, servers and input lines in many
 * places (messages, fixes, targets, records, sections, the input itself); escaping all of it
 * before a text-like reporter sees it leaves none to forget.
 */
export function escapeStrings<T>(value: T): T {
  // Most results hold nothing to escape: found in their JSON text at once, they are handed on as
  // they are, not copied string by string.
  const json = JSON.stringify(value);
  return json !== undefined && jsonMayDriveTerminal(json) ? escapedCopy(value) : value;
}

function escapedCopy<T>(value: T): T {
  if (typeof value === 'string') return escapeUntrusted(value) as T;
  if (Array.isArray(value)) return value.map(escapedCopy) as T;
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [escapeUntrusted(key), escapedCopy(entry)])) as T;
  }
  return value;
}

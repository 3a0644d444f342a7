import { decodeEscapes, encodeLabel, escapeEnd } from './escapes.js';

/** RFC 1035 §2.3.4 limits, in octets of the wire form. */
export const MAX_LABEL_OCTETS = 63;
export const MAX_NAME_OCTETS = 255;

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const CASE_BIT = 0x20;

/** A domain name as label octets, lower-cased (ASCII only, RFC 4343); the root has no labels. */
export interface DomainName {
  labels: Uint8Array[];
}

export const ROOT: DomainName = { labels: [] };

export type NameReading =
  | { ok: true; name: DomainName; relative: boolean }
  | { ok: false; reason: string };

/**
 * Reads a name as written in a zone file: `@` is the origin, a name without a trailing dot is
 * relative to the origin, escapes (`\.`, `\032`) are label octets. `relative` is true only for a
 * plain name without the trailing dot: `@` names the origin on purpose.
 */
export function readName(written: string, origin: DomainName): NameReading {
  if (written === '@') return { ok: true, name: origin, relative: false };
  if (written === '.') return { ok: true, name: ROOT, relative: false };
  if (written === '') return { ok: false, reason: 'the name is empty' };
  const split = splitLabels(written);
  if (!split.ok) return split;
  const labels = split.relative ? [...split.labels, ...origin.labels] : split.labels;
  const name = { labels };
  const length = wireLength(name);
  if (length > MAX_NAME_OCTETS) {
    return { ok: false, reason: `"${written}" is ${length} octets long${split.relative ? ' with the origin appended' : ''}; a name is at most ${MAX_NAME_OCTETS}` };
  }
  return { ok: true, name, relative: split.relative };
}

type SplitLabels = { ok: true; labels: Uint8Array[]; relative: boolean } | { ok: false; reason: string };

function splitLabels(written: string): SplitLabels {
  const pieces = splitAtUnescapedDots(written);
  const relative = pieces.at(-1) !== '';
  if (!relative) pieces.pop();
  const labels: Uint8Array[] = [];
  for (const piece of pieces) {
    if (piece === '') return { ok: false, reason: `"${written}" has an empty label` };
    const label = readLabel(piece);
    if (!label.ok) return { ok: false, reason: `"${written}": ${label.reason}` };
    labels.push(label.octets);
  }
  return { ok: true, labels, relative };
}

function splitAtUnescapedDots(written: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  while (i < written.length) {
    if (written[i] === '\\') {
      i = escapeEnd(written, i);
      continue;
    }
    if (written[i] === '.') {
      pieces.push(written.slice(start, i));
      start = i + 1;
    }
    i += 1;
  }
  pieces.push(written.slice(start));
  return pieces;
}

type LabelReading = { ok: true; octets: Uint8Array } | { ok: false; reason: string };

function readLabel(written: string): LabelReading {
  const decoded = decodeEscapes(written);
  if (!decoded.ok) return decoded;
  if (decoded.octets.length > MAX_LABEL_OCTETS) {
    return { ok: false, reason: `label "${written}" is ${decoded.octets.length} octets long; a label is at most ${MAX_LABEL_OCTETS}` };
  }
  return { ok: true, octets: lowerCaseAscii(decoded.octets) };
}

/** RFC 4343: only ASCII letters fold. */
export function lowerCaseAscii(octets: Uint8Array): Uint8Array {
  return octets.map((octet) => (octet >= UPPER_A && octet <= UPPER_Z ? octet | CASE_BIT : octet));
}

export function wireLength(name: DomainName): number {
  return name.labels.reduce((sum, label) => sum + label.length + 1, 1);
}

/** The canonical text form used across mxlint: lower case, no trailing dot, "." for the root. */
export function nameToText(name: DomainName): string {
  return name.labels.length === 0 ? '.' : name.labels.map(encodeLabel).join('.');
}

/** Uncompressed wire form (RFC 1035 §3.1). */
export function nameToWire(name: DomainName): Uint8Array {
  const out = new Uint8Array(wireLength(name));
  let offset = 0;
  for (const label of name.labels) {
    out[offset] = label.length;
    out.set(label, offset + 1);
    offset += label.length + 1;
  }
  return out;
}

export function isAtOrBelow(name: DomainName, ancestor: DomainName): boolean {
  const skip = name.labels.length - ancestor.labels.length;
  if (skip < 0) return false;
  return ancestor.labels.every((label, i) => octetsEqual(label, name.labels[skip + i]!));
}

function octetsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((octet, i) => octet === b[i]);
}

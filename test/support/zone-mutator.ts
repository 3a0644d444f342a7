/**
 * A seeded, deterministic mutator of zone-file text for fuzzing the zone reader: the same seed gives
 * the same mutations, so a failure found by a long run can be replayed from its seed and index.
 */

import { seededRandom } from './random.js';
import type { Random } from './random.js';

export interface MutatorOptions {
  /** File names an inserted $INCLUDE may name: the file itself makes a loop, an unknown one is missing. */
  includeTargets: readonly string[];
  /** Mutations applied to one text, at least one. */
  maxOperations: number;
  /** Longest line the huge-line mutation inserts. */
  maxHugeLine: number;
}

export const DEFAULT_MUTATOR_OPTIONS: MutatorOptions = {
  includeTargets: ['missing.inc'],
  maxOperations: 3,
  maxHugeLine: 300_000,
};

export interface ZoneMutation {
  text: string;
  /** What was done, in order, for reproducing a failure by hand. */
  operations: string[];
}

type Operation = (text: string, random: Random, options: MutatorOptions) => { text: string; description: string };

function below(random: Random, limit: number): number {
  return Math.floor(random() * limit);
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[below(random, items.length)]!;
}

function insertAt(text: string, position: number, insert: string): string {
  return text.slice(0, position) + insert + text.slice(position);
}

/** A position at the start of some line, so inserted directives and records stand where they count. */
function lineStart(text: string, random: Random): number {
  const position = below(random, text.length + 1);
  const newline = text.lastIndexOf('\n', position - 1);
  return newline + 1;
}

function randomBytes(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += String.fromCharCode(below(random, 256));
  return out;
}

const SPECIAL_PIECES = [
  '\\', ';', '(', ')', '"', '@', '.', '..', '\\#', '\\999', '\\0', '\\.', '$TTL', '$ORIGIN', '$GENERATE 1-5 a$ A 1.2.3.$',
  ' IN ', ' CH ', ' TYPE65535 ', ' CLASS0 ', ' MX ', ' 70000 ', ' -1 ', ' 1w2d3h ', ' 99999999999999999999 ', '\t', '\r', '\n', '\n ',
  '\uFEFF', '\u0000', '\u00e9', '\ud800',
];

const OPERATIONS: Record<string, Operation> = {
  flipByte: (text, random) => {
    if (text.length === 0) return { text: randomBytes(random, 1), description: 'flipByte on empty text' };
    const position = below(random, text.length);
    const flipped = String.fromCharCode((text.charCodeAt(position) ^ (1 << below(random, 8))) & 0xff);
    return { text: text.slice(0, position) + flipped + text.slice(position + 1), description: `flipByte @${position}` };
  },
  truncate: (text, random) => {
    const position = below(random, text.length + 1);
    return { text: text.slice(0, position), description: `truncate @${position}` };
  },
  deleteSpan: (text, random) => {
    const start = below(random, text.length + 1);
    const length = 1 + below(random, 64);
    return { text: text.slice(0, start) + text.slice(start + length), description: `deleteSpan @${start}+${length}` };
  },
  duplicateSpan: (text, random) => {
    const start = below(random, text.length + 1);
    const span = text.slice(start, start + 1 + below(random, 256));
    const target = below(random, text.length + 1);
    return { text: insertAt(text, target, span), description: `duplicateSpan @${start}+${span.length} to @${target}` };
  },
  deepParens: (text, random) => {
    const depth = 1 + below(random, 5000);
    const closing = random() < 0.5 ? depth : below(random, depth);
    const position = below(random, text.length + 1);
    return { text: insertAt(text, position, `${'('.repeat(depth)} A 192.0.2.1 ${')'.repeat(closing)}`), description: `deepParens ${depth}/${closing} @${position}` };
  },
  hugeLine: (text, random, options) => {
    const length = below(random, options.maxHugeLine);
    const body = pick(random, ['x', '\\', '"', '(', ' ', 'a.']).repeat(length);
    const position = lineStart(text, random);
    return { text: insertAt(text, position, `huge TXT ${body}\n`), description: `hugeLine ${length} @${position}` };
  },
  include: (text, random, options) => {
    const target = pick(random, options.includeTargets);
    const origin = random() < 0.3 ? ` ${pick(random, ['sub', 'other.example.', '@', '..'])}` : '';
    const position = lineStart(text, random);
    return { text: insertAt(text, position, `$INCLUDE ${target}${origin}\n`), description: `include ${target}${origin} @${position}` };
  },
  binary: (text, random) => {
    const length = 1 + below(random, 512);
    const position = below(random, text.length + 1);
    return { text: insertAt(text, position, randomBytes(random, length)), description: `binary ${length} @${position}` };
  },
  special: (text, random) => {
    const piece = pick(random, SPECIAL_PIECES);
    const position = below(random, text.length + 1);
    return { text: insertAt(text, position, piece), description: `special ${JSON.stringify(piece)} @${position}` };
  },
  swapLines: (text, random) => {
    const lines = text.split('\n');
    const a = below(random, lines.length);
    const b = below(random, lines.length);
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
    return { text: lines.join('\n'), description: `swapLines ${a + 1}<->${b + 1}` };
  },
};

const OPERATION_NAMES = Object.keys(OPERATIONS);

/** One to `maxOperations` random mutations of `text`. */
export function mutateZone(text: string, random: Random, options: MutatorOptions = DEFAULT_MUTATOR_OPTIONS): ZoneMutation {
  const count = 1 + below(random, options.maxOperations);
  const operations: string[] = [];
  let mutated = text;
  for (let i = 0; i < count; i += 1) {
    const name = pick(random, OPERATION_NAMES);
    const result = OPERATIONS[name]!(mutated, random, options);
    mutated = result.text;
    operations.push(result.description);
  }
  return { text: mutated, operations };
}

export interface FuzzRun {
  seed: number;
  iterations: number;
  options?: Partial<MutatorOptions>;
}

/** `iterations` mutations of the seed texts, taken in turn; deterministic for a given seed. */
export function* zoneMutations(seedTexts: readonly string[], run: FuzzRun): Generator<ZoneMutation & { index: number; seedText: number }> {
  const random = seededRandom(run.seed);
  const options = { ...DEFAULT_MUTATOR_OPTIONS, ...run.options };
  for (let index = 0; index < run.iterations; index += 1) {
    const seedText = index % seedTexts.length;
    yield { index, seedText, ...mutateZone(seedTexts[seedText]!, random, options) };
  }
}

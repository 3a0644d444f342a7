import type { SourceLocation, ZoneProblemCode } from './types.js';

/**
 * What is wrong with one entry of a zone file, thrown while the entry is read and caught where the
 * entry started, so the reader reports it and goes on with the next entry.
 */
export class EntryProblem extends Error {
  /** The owner of the record the problem lies in, once it is known. */
  owner: string | undefined;
  /** The type of that record (MX, TXT), once it is known. */
  type: string | undefined;

  constructor(
    readonly code: ZoneProblemCode,
    message: string,
    readonly location: SourceLocation,
    /** The fix for this entry, where the reader can say it exactly (`write \`sales MX 10 mx1\``). */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'EntryProblem';
  }
}

export function syntaxProblem(message: string, location: SourceLocation, fix?: string): EntryProblem {
  return new EntryProblem('zone-syntax', message, location, fix);
}

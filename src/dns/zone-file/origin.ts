import { basename } from 'node:path';
import { startsWithDirective, type LogicalLine } from './lexer.js';
import { readName, ROOT, type DomainName } from './names.js';
import { splitRecordHeader } from './record-header.js';
import { EntryProblem } from './problem.js';
import { rrtypeCode } from '../rr/types.js';

const SOA = rrtypeCode('SOA');

/** `db.example.com`, `example.com.zone`, `example.com.db` and `example.com` all name example.com. */
export function originFromFileName(file: string): string {
  const base = basename(file);
  const bare = base.replace(/^db\./i, '').replace(/\.(zone|db)$/i, '');
  return bare === '' ? base : bare;
}

/**
 * The origin the file itself states before relying on one: a `$ORIGIN` with an absolute name ahead
 * of the first record, else the owner of the SOA record when written absolute.
 */
export function findWrittenOrigin(lines: Iterable<LogicalLine>): DomainName | undefined {
  let recordSeen = false;
  for (const line of lines) {
    if (!startsWithDirective(line)) {
      recordSeen = true;
      const soaOwner = absoluteSoaOwner(line);
      if (soaOwner !== undefined) return soaOwner;
    } else if (!recordSeen && !line.ownerInherited && line.tokens[0]!.text.toUpperCase() === '$ORIGIN') {
      const origin = absoluteName(line.tokens[1]?.text);
      if (origin !== undefined) return origin;
    }
  }
  return undefined;
}

function absoluteSoaOwner(line: LogicalLine): DomainName | undefined {
  try {
    const header = splitRecordHeader(line);
    return header.rrtype === SOA ? absoluteName(header.ownerToken?.text) : undefined;
  } catch (error) {
    if (error instanceof EntryProblem) return undefined;
    throw error;
  }
}

function absoluteName(written: string | undefined): DomainName | undefined {
  if (written === undefined || written === '@') return undefined;
  const reading = readName(written, ROOT);
  return reading.ok && !reading.relative ? reading.name : undefined;
}

import type { PublishedRecords } from '../../facts/txt-record.js';
import type { Rule } from '../../core/rule.js';
import type { LegacyRuleMeta } from '../../core/legacy-rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';

/**
 * The rules TXT-published policy records share (DMARC, MTA-STS, TLS-RPT): more than one, or a
 * malformed one, and whoever reads them acts as if there were none. `kind` names the record ("TLS-RPT").
 */

/** The record lookup came out empty, for sure: no record of the kind, and no failed lookup. */
export function knownAbsent<Parsed>(published: PublishedRecords<Parsed> | null): published is PublishedRecords<Parsed> {
  return published !== null && published.txt.state !== 'failed' && published.records.length === 0;
}

type Select<Facts> = (facts: Facts) => PublishedRecords<{ problems: string[] }> | null;

/** Records of one kind at one name, as far as counting them goes. */
type Published = { name: string; records: readonly { text: string }[] } | null;

/** `readers`: who acts on the record — senders (MTA-STS, TLS-RPT) or receivers (DMARC). */
export function multipleRecordsRule<Facts>(meta: LegacyRuleMeta, record: { kind: string; readers: string }, select: (facts: Facts) => Published): Rule<Facts> {
  return defineLegacyRule<Facts>(meta, (facts, report) => {
    const published = select(facts);
    if (!published || published.records.length < 2) return [];
    const list = published.records.map((r) => `"${r.text}"`).join(', ');
    return [report(`${published.name} has ${published.records.length} ${record.kind} records (${list}): with more than one, ${record.readers} use none of them (${meta.rfc}). Merge them into one TXT record.`)];
  });
}

export function recordSyntaxRule<Facts>(meta: LegacyRuleMeta, kind: string, select: Select<Facts>): Rule<Facts> {
  return defineLegacyRule<Facts>(meta, (facts, report) => {
    const published = select(facts);
    const record = published?.records.length === 1 ? published.records[0]! : null;
    if (!published || !record || record.parsed.problems.length === 0) return [];
    return [report(`The ${kind} record at ${published.name} ("${record.text}") is malformed: ${record.parsed.problems.join('; ')} (${meta.rfc}); senders ignore it. Fix: ${meta.fix}.`)];
  });
}

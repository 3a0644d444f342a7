import type { PublishedRecords } from '../../facts/txt-record.js';
import type { Rule, RuleMeta } from '../../core/rule.js';
import { defineRule } from '../../core/rule.js';

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

/** What a published-record rule says of itself; its messages are the helper's. */
export type PublishedRecordMeta<Id extends string, Family extends string> = Omit<RuleMeta<Id, Family>, 'messages'>;

/** The message of a multiple-records rule, with the record's kind and its readers written in. */
type MultipleMessages = { readonly multiple: `{{name}} has {{count}} ${string} records ({{records}}): with more than one, ${string} use none of them.` };

/** `readers`: who acts on the record — senders (MTA-STS, TLS-RPT) or receivers (DMARC). */
export function multipleRecordsRule<Facts, const Id extends string, const Family extends string>(meta: PublishedRecordMeta<Id, Family>,
  record: { kind: string; readers: string }, select: (facts: Facts) => Published): Rule<Facts, RuleMeta<Id, Family, MultipleMessages>> {
  const messages: MultipleMessages = { multiple: `{{name}} has {{count}} ${record.kind} records ({{records}}): with more than one, ${record.readers} use none of them.` };
  return defineRule({ ...meta, messages }, (facts: Facts, report) => {
    const published = select(facts);
    if (!published || published.records.length < 2) return [];
    return [report('multiple', { name: published.name, count: published.records.length, records: published.records.map((r) => `"${r.text}"`).join(', ') })];
  });
}

/** The message of a record syntax rule, with the record's kind written in. */
type SyntaxMessages = { readonly malformed: `The ${string} record at {{name}} ("{{record}}") is malformed: {{problems}}; senders ignore it.` };

/** `kind` names the record; senders are who reads the records this rule is for (MTA-STS, TLS-RPT). */
export function recordSyntaxRule<Facts, const Id extends string, const Family extends string>(meta: PublishedRecordMeta<Id, Family>,
  kind: string, select: Select<Facts>): Rule<Facts, RuleMeta<Id, Family, SyntaxMessages>> {
  const messages: SyntaxMessages = { malformed: `The ${kind} record at {{name}} ("{{record}}") is malformed: {{problems}}; senders ignore it.` };
  return defineRule({ ...meta, messages }, (facts: Facts, report) => {
    const published = select(facts);
    const record = published?.records.length === 1 ? published.records[0]! : null;
    if (!published || !record || record.parsed.problems.length === 0) return [];
    return [report('malformed', { name: published.name, record: record.text, problems: record.parsed.problems.join('; ') })];
  });
}

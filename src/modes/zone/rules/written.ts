import { txtToString, type RecordOf } from '../../../dns/records.js';
import type { ParsedZone, ZoneEntry } from '../../../dns/zone-file/types.js';
import { defineZoneRule, zoneOwners } from './zone-rule.js';
import type { OwnedFinding } from './zone-rule.js';

/**
 * Records written in a way that makes them say something else than meant: an owner without its final
 * dot, a TXT policy record without quotes, an SPF record broken over two TXT records.
 */

/** The origin written twice at the end of `name` ("x.example.com.example.com" in zone example.com): the name meant, else null. */
function meantWithoutRepeat(name: string, origin: string): string | null {
  if (origin === '.') return null;
  const twice = `${origin}.${origin}`;
  if (name === twice) return origin;
  return name.endsWith(`.${twice}`) ? name.slice(0, -(origin.length + 1)) : null;
}

/** Some suffix of `name` is written twice at its end ("a.b.c.b.c"): needed for meantWithoutRepeat to find anything. */
function endsWithRepeat(name: string): boolean {
  for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
    const suffix = name.slice(dot + 1);
    if (name === `${suffix}.${suffix}` || name.endsWith(`.${suffix}.${suffix}`)) return true;
  }
  return false;
}

/** How the name is written in a file with that origin: relative when it lies below it, else absolute. */
function relativeTo(name: string, origin: string): string {
  if (name === origin) return '@';
  return origin !== '.' && name.endsWith(`.${origin}`) ? name.slice(0, -(origin.length + 1)) : `${name}.`;
}

export const ownerOriginTwice = defineZoneRule({
  id: 'zone-owner-origin-twice', family: 'zone', severity: 'warning', rfc: 'RFC 1035 §5.1',
  summary: 'an owner name ends with the zone\'s origin twice (_dmarc.example.com.example.com): written without its final dot, so the origin was appended again',
  fix: 'end the owner name with a dot, or write it relative to the origin',
  messages: {
    originTwice: {
      message: 'The owner {{owner}} ends with the origin {{origin}} twice: the file most likely says "{{meant}}" without the final dot, so the origin was appended again. Its records ({{types}}) are served at {{owner}}, not at {{meant}}.',
      fix: 'write the owner as "{{meant}}." with the final dot, or as "{{relative}}" relative to the origin',
    },
  },
}, ({ zone }, report) => {
  const byOwner = new Map<string, ZoneEntry[]>();
  // Only names with a repeated suffix can end with their origin twice: the entries (with the origin
  // each was written under) are made for those alone, so a big zone is not walked entry by entry.
  let lastName: string | undefined;
  let lastRepeats = false;
  zone.records.forEach(({ name }, index) => {
    if (name !== lastName) [lastName, lastRepeats] = [name, endsWithRepeat(name)];
    if (!lastRepeats) return;
    const entry = zone.entryAt(index);
    if (meantWithoutRepeat(name, entry.origin) === null) return;
    byOwner.set(name, [...(byOwner.get(name) ?? []), entry]);
  });
  return [...byOwner].map(([owner, entries]) => {
    const { origin, location } = entries[0]!;
    const meant = meantWithoutRepeat(owner, origin)!;
    const types = [...new Set(entries.map((e) => e.record.type))].join(', ');
    // The finding belongs with the name meant: its result is where the records are missed.
    return report(meant, 'originTwice', { owner, origin, meant, relative: relativeTo(meant, origin), types }, { location });
  });
});

/** The policy records published as TXT, by their first word (DKIM keys also by where they stand: they may omit v=). */
const TXT_KINDS: readonly { kind: string; version: RegExp; owner?: RegExp; tagList: boolean }[] = [
  { kind: 'SPF', version: /^v=spf1$/i, tagList: false },
  { kind: 'DMARC', version: /^v=DMARC1;?$/, owner: /^_dmarc\./, tagList: true },
  { kind: 'DKIM', version: /^v=DKIM1;?$/, owner: /\._domainkey\./, tagList: true },
  { kind: 'MTA-STS', version: /^v=STSv1;?$/, owner: /^_mta-sts\./, tagList: true },
  { kind: 'TLS-RPT', version: /^v=TLSRPTv1;?$/, owner: /^_smtp\._tls\./, tagList: true },
];

/** What a comment holds when it is the rest of a tag list: "p=reject; rua=…". */
const TAG_START = /^\s*[A-Za-z][A-Za-z0-9_]*\s*=/;

function kindOf(entry: ZoneEntry, words: string[]): (typeof TXT_KINDS)[number] | undefined {
  const first = words[0] ?? '';
  return TXT_KINDS.find(({ version }) => version.test(first))
    ?? TXT_KINDS.find(({ owner }) => owner?.test(entry.record.name) === true && TAG_START.test(first));
}

/** The comment on the entry's line, after its data: what a `;` cut off an unquoted record. */
function commentAfterData(zone: ParsedZone, entry: ZoneEntry): string | null {
  const { file, line, column } = entry.dataLocation;
  const text = zone.sources.get(file)?.split('\n', line)[line - 1];
  if (text === undefined) return null;
  const semicolon = text.indexOf(';', column - 1);
  return semicolon === -1 ? null : text.slice(semicolon + 1).trim();
}

export const txtUnquoted = defineZoneRule({
  id: 'zone-txt-unquoted', family: 'zone', severity: 'error', rfc: 'RFC 1035 §5.1, RFC 7208 §3.3',
  summary: 'an SPF, DMARC, DKIM, MTA-STS or TLS-RPT record written without quotes: its words become separate strings that receivers join without spaces, and a ";" starts a comment that cuts the record',
  fix: 'write the record in double quotes',
  messages: {
    words: {
      message: 'The {{kind}} record at {{owner}} is written without quotes: its {{count}} words became {{count}} separate strings, which receivers join without spaces into "{{joined}}", not the record meant.',
      fix: 'write it in quotes: {{written}} TXT "{{meant}}"',
    },
    comment: {
      message: 'The {{kind}} record at {{owner}} is written without quotes, so the ";" after "{{kept}}" starts a comment: the record published is "{{joined}}", and "{{cut}}" is dropped.',
      fix: 'write it in quotes: {{written}} TXT "{{meant}}"',
    },
  },
}, ({ zone }, report) => zone.records.flatMap((record, index) => {
  if (record.type !== 'TXT') return [];
  const entry = zone.entryAt(index);
  if (entry.rdataQuoted) return [];
  const words = record.data.map((string) => txtToString([string]));
  const found = kindOf(entry, words);
  if (found === undefined) return [];
  const owner = record.name;
  const written = relativeTo(owner, entry.origin);
  const joined = words.join('');
  const comment = found.tagList ? commentAfterData(zone, entry) : null;
  const place = { location: entry.dataLocation };
  if (comment !== null && TAG_START.test(comment)) {
    const kept = words.join(' ');
    return [report(owner, 'comment', { kind: found.kind, owner, kept, joined, cut: comment, written, meant: `${kept.replace(/;$/, '')}; ${comment}` }, place)];
  }
  if (words.length < 2) return [];
  return [report(owner, 'words', { kind: found.kind, owner, count: words.length, joined, written, meant: words.join(' ') }, place)];
}));

/** The first word of an SPF term (RFC 7208 §4.6.1, §5, §6): a mechanism with its qualifier, or a modifier. */
const SPF_TERM = /^(?:[+\-~?]?(?:all|include|a|mx|ptr|ip4|ip6|exists)(?=$|[\s:/])|(?:redirect|exp)=)/i;
const SPF_VERSION = /^v=spf1(?:\s|$)/i;

/** An SPF record's text in strings of at most 255 octets, each but the last ending where a space was: the record it makes is the same. */
function quotedStrings(text: string): string {
  const strings: string[] = [];
  let rest = text;
  while (rest.length > 255) {
    const cut = rest.lastIndexOf(' ', 254) + 1 || 255;
    strings.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return [...strings, rest].map((s) => `"${s}"`).join(' ');
}

export const spfSplit = defineZoneRule({
  id: 'zone-spf-split', family: 'zone', severity: 'error', rfc: 'RFC 7208 §3.3, §4.5',
  summary: 'an SPF record broken over two TXT records at one owner: the second does not start with v=spf1, so receivers ignore it',
  fix: 'join the parts into one TXT record (several quoted strings in one record if it is longer than 255 characters)',
  messages: {
    split: {
      message: '{{owner}} has the SPF record "{{record}}" and beside it the TXT record "{{rest}}", which holds SPF terms but does not start with v=spf1: receivers read only the first and ignore the second.',
      fix: 'publish one record instead of the two: {{written}} TXT {{joined}}',
    },
  },
}, (facts, report) => {
  const { zone } = facts;
  const findings: OwnedFinding[] = [];
  // Owner by owner: only an owner with two TXT records or more can have one split, and only its texts are read.
  for (const [owner, indexes] of zoneOwners(facts)) {
    if (indexes.length < 2) continue;
    const txt = indexes.filter((index) => zone.records[index]!.type === 'TXT');
    if (txt.length < 2) continue;
    const texts = txt.map((index) => ({ index, text: txtToString((zone.records[index] as RecordOf<'TXT'>).data).trim() }));
    const spf = texts.filter(({ text }) => SPF_VERSION.test(text));
    if (spf.length !== 1) continue;
    const record = spf[0]!;
    for (const rest of texts.filter(({ text }) => SPF_TERM.test(text))) {
      findings.push(report(owner, 'split', {
        owner, record: record.text, rest: rest.text, written: relativeTo(owner, zone.entryAt(record.index).origin), joined: quotedStrings(`${record.text} ${rest.text}`),
      }, { location: zone.entryAt(rest.index).location }));
    }
  }
  return findings;
});

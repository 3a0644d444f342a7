/**
 * Reads zone files in the master file format of RFC 1035 §5.1, with RFC 2308 `$TTL` and RFC 3597
 * generic types and data. Every record keeps where it was written; every problem is reported at the
 * offending token and reading goes on, so one run shows all of them. The reader never throws on the
 * text it is given.
 */
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { FileTooLargeError, readFailure, readTextFile, type FileText } from '../../core/files.js';
import type { DnsRecord } from '../records.js';
import { decodeEscapes } from './escapes.js';
import { readDurationToken, readNameToken } from './fields.js';
import { entriesOf, lexZone, startsWithDirective, type LogicalLine, type Token } from './lexer.js';
import { isAtOrBelow, nameToText, readName, ROOT, type DomainName } from './names.js';
import { findWrittenOrigin, originFromFileName } from './origin.js';
import { EntryProblem, syntaxProblem } from './problem.js';
import { parseRdata, type ParsedRdata } from './rdata.js';
import { EntryPlaces } from './places.js';
import { splitRecordHeader, type RecordHeader } from './record-header.js';
import { CLASS_IN, rrclassNumber } from '../rr/classes.js';
import { isZoneDataType, rrtypeName } from '../rr/types.js';
import { MAX_TTL } from './ttl.js';
import type { ParsedZone, SourceLocation, ZoneEntry, ZoneProblem } from './types.js';

/**
 * Deepest chain of $INCLUDEs followed. Real zones nest one or two levels; deeper is a mistake, and
 * the reader recurses once a level, so the depth also bounds its stack.
 */
export const MAX_INCLUDE_DEPTH = 16;

/**
 * Files read for one zone, the zone file and every $INCLUDE (a file included twice counts twice).
 * Real zones include a handful; a tree of files that each include the next level ten times would
 * otherwise be read ten to the power of its depth times.
 */
export const MAX_ZONE_FILES = 256;

/** Octets read for one zone, its files together: their text is kept to show the lines findings point at. */
export const MAX_ZONE_BYTES = 64 * 1024 * 1024;

/**
 * Records read for one zone unless the caller says otherwise (`maxRecords`, `--max-zone-records`).
 * Every record is held, indexed and answered from while the zone is checked, and each owner of MX
 * records gets a check and a result of its own; past this many, reading stops, so a zone file from
 * anyone cannot exhaust memory. Whoever checks a bigger zone of their own raises it.
 */
export const DEFAULT_MAX_ZONE_RECORDS = 50_000;

/** The most `maxRecords` may be raised to: ten times the biggest zones run in production, and what MAX_ZONE_BYTES of short lines holds. */
export const MAX_ZONE_RECORDS = 10_000_000;

/** Problems reported for one zone: a file with more is not a zone file, and the rest of it is not read. */
export const MAX_ZONE_PROBLEMS = 1000;

/**
 * Distinct RDATA texts whose data the reader keeps to give to the next record written the same way
 * (a hoster's zone repeats its SPF record, its MX and NS records at thousands of owners): those
 * records share one data object, read once. Past this many the kept ones are dropped and the count
 * starts again, so a zone of unique data costs a bounded map.
 */
export const MAX_SHARED_RDATA = 4096;

/** Longest RDATA text (its fields' characters together) kept to share: longer data (a DKIM key) is seldom repeated. */
export const MAX_SHARED_RDATA_TEXT = 512;

export interface ReadZoneTextOptions {
  /** The file name used in locations, and the base of relative $INCLUDE paths. */
  file: string;
  /** The file's identity (device and inode), to tell when an $INCLUDE comes back to it; default: its name. */
  identity?: string;
  /** The zone's origin (`--origin`); absolute whether or not it ends in a dot. */
  origin?: string;
  /** The TTL in effect before any $TTL, as if the file began with `$TTL defaultTtl`. */
  defaultTtl?: number;
  /**
   * The text and identity of an $INCLUDEd file by path, at most `maxBytes` octets, throwing when it
   * cannot be read (FileTooLargeError past the bound); without it $INCLUDE is a problem.
   */
  loadFile?: (path: string, maxBytes: number) => FileText;
  /** Records read for the zone, its files together (default DEFAULT_MAX_ZONE_RECORDS); the rest is a problem. */
  maxRecords?: number;
}

export interface ReadZoneFileOptions {
  origin?: string;
  maxRecords?: number;
}

/** Reads zone text; pure apart from `loadFile`. */
export function readZoneText(text: string, options: ReadZoneTextOptions): ParsedZone {
  return new ZoneReader(options).read(text);
}

/**
 * Reads a zone file and the files it includes, named in locations as given (includes relative to
 * the including file, e.g. `zones/inc/mail.inc`). Throws a FileReadError only when `path` itself
 * cannot be read: not a regular file, or larger than MAX_ZONE_BYTES.
 */
export function readZoneFile(path: string, options: ReadZoneFileOptions = {}): ParsedZone {
  const { text, identity } = readTextFile(path, MAX_ZONE_BYTES);
  return readZoneText(text, { file: path, identity, origin: options.origin, loadFile: readTextFile, maxRecords: options.maxRecords });
}

interface FileScope {
  file: string;
  origin: DomainName;
  /** The origin's canonical text, kept with it so the records written under it share it. */
  originText: string;
  /** The last owner in this file: lines starting with a blank belong to it. */
  owner: DomainName | undefined;
  /** The last owner could not be read; lines inheriting it are skipped (its problem is reported already). */
  ownerUnreadable: boolean;
}

const BYTE_ORDER_MARK = 0xfeff;

function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/** Reading was stopped at a bound: nothing more of the zone is read. */
class ReadingStopped extends Error {}

interface OpenFile {
  file: string;
  identity: string;
}

class ZoneReader {
  private readonly records: DnsRecord[] = [];
  private readonly places = new EntryPlaces();
  /** The owner of the last record, so the records of one owner share one string. */
  private lastOwner = '';
  /** The exchange of the last MX record that named another owner than its own. */
  private lastExchange = '';
  /** Data read, by type, origin and the fields as written (sharedRdataKey): at most MAX_SHARED_RDATA. */
  private readonly sharedRdata = new Map<string, ParsedRdata>();
  private readonly problems: ZoneProblem[] = [];
  private readonly sources = new Map<string, string>();
  private readonly includeStack: OpenFile[] = [];
  private filesRead = 0;
  private bytesRead = 0;
  private zoneOrigin: DomainName = ROOT;
  /** Records outside the zone are dropped only when the origin is stated, not guessed from the file name. */
  private originStated = false;
  private dollarTtl: number | undefined;
  private previousTtl: number | undefined;
  private ttlGuessReported = false;

  constructor(private readonly options: ReadZoneTextOptions) {
    this.dollarTtl = options.defaultTtl;
  }

  read(text: string): ParsedZone {
    const source = withoutByteOrderMark(text);
    this.zoneOrigin = this.chooseOrigin(source);
    try {
      this.readFile({ file: this.options.file, identity: this.options.identity ?? this.options.file }, source, Buffer.byteLength(text), this.zoneOrigin);
    } catch (error) {
      if (!(error instanceof ReadingStopped)) throw error;
    }
    const { records, places } = this;
    const entryAt = (index: number): ZoneEntry => places.entry(index, records[index]!);
    return {
      file: this.options.file,
      origin: nameToText(this.zoneOrigin),
      records,
      entryAt,
      get entries() {
        return records.map((_, index) => entryAt(index));
      },
      problems: this.sortedProblems(),
      sources: this.sources,
    };
  }

  /** Records a problem; past MAX_ZONE_PROBLEMS, says so once and stops reading. */
  private report(problem: ZoneProblem): void {
    if (this.problems.length < MAX_ZONE_PROBLEMS) {
      this.problems.push(problem);
      return;
    }
    this.problems.push({
      code: 'zone-syntax', location: problem.location,
      message: `more than ${MAX_ZONE_PROBLEMS} problems, the most mxlint reports for one zone: this one and the rest of the zone are not read`,
    });
    throw new ReadingStopped();
  }

  /** In reading order: files as first read, then line and column. */
  private sortedProblems(): ZoneProblem[] {
    const fileOrder = new Map([...this.sources.keys()].map((file, index) => [file, index]));
    const rank = (location: SourceLocation) => fileOrder.get(location.file) ?? -1;
    return this.problems.sort((a, b) =>
      rank(a.location) - rank(b.location) || a.location.line - b.location.line || a.location.column - b.location.column);
  }

  /** `--origin`, else what the file states ($ORIGIN, absolute SOA owner), else the file name. */
  private chooseOrigin(source: string): DomainName {
    const start: SourceLocation = { file: this.options.file, line: 1, column: 1 };
    if (this.options.origin !== undefined) {
      const given = readName(absolute(this.options.origin), ROOT);
      if (given.ok) {
        this.originStated = true;
        return given.name;
      }
      this.problems.push({ code: 'zone-syntax', message: `the origin given, "${this.options.origin}", is not a domain name: ${given.reason}`, location: start });
    }
    const written = findWrittenOrigin(entriesOf(lexZone(source, this.options.file)));
    if (written !== undefined) {
      this.originStated = true;
      return written;
    }
    const fromFileName = readName(absolute(originFromFileName(this.options.file)), ROOT);
    if (fromFileName.ok) return fromFileName.name;
    this.problems.push({
      code: 'zone-syntax',
      message: `cannot tell the zone's origin (no $ORIGIN, no SOA with an absolute owner, and the file name is no domain name): relative names are read as below the root; give the origin`,
      location: start,
    });
    return ROOT;
  }

  private readFile(opened: OpenFile, source: string, bytes: number, origin: DomainName): void {
    this.filesRead += 1;
    this.bytesRead += bytes;
    this.sources.set(opened.file, source);
    this.includeStack.push(opened);
    const scope: FileScope = { file: opened.file, origin, originText: nameToText(origin), owner: undefined, ownerUnreadable: false };
    for (const item of lexZone(source, opened.file)) {
      if ('problem' in item) this.report(item.problem);
      else this.readLine(item.line, scope);
    }
    this.includeStack.pop();
  }

  private readLine(line: LogicalLine, scope: FileScope): void {
    const first = line.tokens[0]!;
    try {
      if (!startsWithDirective(line)) this.readRecord(line, scope);
      else if (line.ownerInherited) throw syntaxProblem(`${first.text}: a directive must start at the beginning of the line`, first.location);
      else this.readDirective(first, line.tokens.slice(1), scope);
    } catch (error) {
      if (error instanceof ReadingStopped) throw error;
      if (error instanceof EntryProblem) {
        this.report({
          code: error.code, message: error.message, location: error.location,
          ...(error.fix === undefined ? {} : { fix: error.fix }), ...(error.owner === undefined ? {} : { owner: error.owner }),
          ...(error.type === undefined ? {} : { type: error.type }),
        });
      } else {
        // A bug in the reader must not stop the run: it is reported where it happened, like any problem.
        this.report({ code: 'zone-syntax', message: `mxlint failed to read this entry: ${String(error)}`, location: first.location });
      }
    }
  }

  private readDirective(keyword: Token, args: Token[], scope: FileScope): void {
    switch (keyword.text.toUpperCase()) {
      case '$ORIGIN':
        expectArguments(keyword, args, 1, 1, '$ORIGIN <domain-name>');
        scope.origin = readNameToken(args[0]!, scope.origin, '$ORIGIN').name;
        scope.originText = nameToText(scope.origin);
        return;
      case '$TTL':
        expectArguments(keyword, args, 1, 1, '$TTL <ttl>');
        this.dollarTtl = readDurationToken(args[0]!, 'TTL', MAX_TTL);
        return;
      case '$INCLUDE':
        expectArguments(keyword, args, 1, 2, '$INCLUDE <file-name> [<domain-name>]');
        this.include(args[0]!, args[1] === undefined ? scope.origin : readNameToken(args[1], scope.origin, '$INCLUDE origin').name, scope);
        return;
      case '$GENERATE':
        throw syntaxProblem('$GENERATE is not supported: the records it would make are not read or checked', keyword.location);
      default:
        throw syntaxProblem(`unknown directive ${keyword.text} (known: $ORIGIN, $TTL, $INCLUDE)`, keyword.location);
    }
  }

  /**
   * RFC 1035 §5.1: the included file starts with the given origin and no owner; the including file's
   * origin and owner are unchanged after it. A $TTL set inside stays in effect, as in BIND. Relative
   * paths are taken from the including file's folder (BIND takes them from its working directory).
   * A file already being read, whatever the path that reaches it (a symbolic link to its folder), is
   * a loop; the zone's files, octets and records are bounded together.
   */
  private include(fileToken: Token, origin: DomainName, scope: FileScope): void {
    const written = decodeEscapes(fileToken.text);
    if (!written.ok) throw syntaxProblem(`$INCLUDE file name: ${written.reason}`, fileToken.location);
    const path = includePath(scope.file, Buffer.from(written.octets).toString('utf8'));
    if (this.options.loadFile === undefined) {
      throw syntaxProblem(`$INCLUDE ${path} is not read: the reader was given no way to load files`, fileToken.location);
    }
    if (this.includeStack.length > MAX_INCLUDE_DEPTH) {
      throw syntaxProblem(`$INCLUDE nested deeper than ${MAX_INCLUDE_DEPTH} files: ${path} is not read`, fileToken.location);
    }
    if (this.filesRead >= MAX_ZONE_FILES) {
      throw syntaxProblem(`$INCLUDE ${path} is not read: this zone has read ${MAX_ZONE_FILES} files already, the most mxlint reads for one zone`, fileToken.location);
    }
    const loaded = this.loadIncluded(path, fileToken);
    const loopStart = this.includeStack.findIndex((open) => open.identity === loaded.identity);
    if (loopStart !== -1) {
      throw syntaxProblem(`$INCLUDE loop: ${[...this.includeStack.slice(loopStart).map((open) => open.file), path].join(' → ')}`, fileToken.location);
    }
    this.readFile({ file: path, identity: loaded.identity }, withoutByteOrderMark(loaded.text), loaded.bytes, origin);
  }

  private loadIncluded(path: string, fileToken: Token): FileText & { bytes: number } {
    const room = MAX_ZONE_BYTES - this.bytesRead;
    try {
      const loaded = this.options.loadFile!(path, room);
      const bytes = Buffer.byteLength(loaded.text);
      if (bytes > room) throw new FileTooLargeError(room);
      return { ...loaded, bytes };
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        throw syntaxProblem(`$INCLUDE ${path} is not read: with it this zone's files would hold more than ${MAX_ZONE_BYTES / 2 ** 20} MiB, the most mxlint reads for one zone`, fileToken.location);
      }
      throw syntaxProblem(`cannot read $INCLUDE file ${path}: ${readFailure(error)}`, fileToken.location);
    }
  }

  private readRecord(line: LogicalLine, scope: FileScope): void {
    const location = line.tokens[0]!.location;
    const header = splitRecordHeader(line);
    const owner = this.readOwner(header, scope, location);
    if (owner === undefined) return;
    try {
      this.readRecordAt(owner, header, scope, location);
    } catch (error) {
      if (error instanceof EntryProblem) {
        error.owner = nameToText(owner);
        error.type = rrtypeName(header.rrtype);
      }
      throw error;
    }
  }

  private readRecordAt(owner: DomainName, header: RecordHeader, scope: FileScope, location: SourceLocation): void {
    const explicitTtl = header.ttlToken === undefined ? undefined : readDurationToken(header.ttlToken, 'TTL', MAX_TTL);
    checkClass(header.classToken);
    if (!isZoneDataType(header.rrtype)) {
      throw syntaxProblem(`${rrtypeName(header.rrtype)} is not a type of zone data`, header.typeToken.location);
    }
    const ownerName = this.ownerText(owner);
    const parsed = this.readRdata(header, scope, ownerName);
    this.checkInZone(owner, header.ownerToken?.location ?? location);
    const ttl = this.recordTtl(explicitTtl, parsed, location);
    // Written out rather than spread, so every record has its four or five fields inside the object.
    const { rdata } = parsed;
    const record: DnsRecord = rdata.type === 'OPAQUE'
      ? { name: ownerName, type: 'OPAQUE', rrtype: rdata.rrtype, ttl, data: rdata.data }
      : { name: ownerName, type: rdata.type, ttl, data: rdata.data } as DnsRecord;
    const dataLocation = header.rdataTokens[0]?.location ?? header.typeToken.location;
    const maxRecords = this.options.maxRecords ?? DEFAULT_MAX_ZONE_RECORDS;
    if (this.records.length >= maxRecords) {
      this.problems.push({
        code: 'zone-syntax', location,
        message: `more than ${maxRecords} records, the most mxlint reads for one zone unless told: this record and the rest of the zone are not read or checked`,
        fix: 'to check a zone this big, raise the bound with --max-zone-records (maxRecords in the library)',
      });
      throw new ReadingStopped();
    }
    this.records.push(record);
    this.places.add(
      location, dataLocation, scope.originText, parsed.nameRelative, header.rdataTokens.some((token) => token.quoted),
    );
  }

  /**
   * The record's data, the very object an earlier record of the same type got when its data was
   * written the same way under the same origin (the owner only shows in the messages of data that
   * cannot be read, which is never kept).
   */
  private readRdata(header: RecordHeader, scope: FileScope, ownerName: string): ParsedRdata {
    const key = sharedRdataKey(header, scope.originText);
    const known = key === undefined ? undefined : this.sharedRdata.get(key);
    if (known !== undefined) return known;
    const context = { origin: scope.origin, ownerName, ownerWritten: header.ownerToken?.text ?? ownerName };
    const parsed = parseRdata(header.rrtype, header.typeToken, header.rdataTokens, context);
    const { rdata } = parsed;
    const read: ParsedRdata = rdata.type === 'MX'
      ? { rdata: { type: 'MX', data: { preference: rdata.data.preference, exchange: this.exchangeText(rdata.data.exchange, ownerName) } }, nameRelative: parsed.nameRelative }
      : parsed;
    if (key !== undefined) {
      if (this.sharedRdata.size >= MAX_SHARED_RDATA) this.sharedRdata.clear();
      this.sharedRdata.set(key, read);
    }
    return read;
  }

  /**
   * An exchange's text, the same string as its owner's or the last shared exchange's when it is the
   * same name: a zone's MX records mostly name the owner itself or the provider's few exchanges.
   */
  private exchangeText(exchange: string, ownerName: string): string {
    if (exchange === ownerName) return ownerName;
    if (exchange !== this.lastExchange) this.lastExchange = exchange;
    return this.lastExchange;
  }

  /** The owner's text, the same string as the last record's when it is the same name. */
  private ownerText(owner: DomainName): string {
    const text = nameToText(owner);
    if (text !== this.lastOwner) this.lastOwner = text;
    return this.lastOwner;
  }

  /** The record's owner, or undefined when it inherits an owner that could not be read. */
  private readOwner(header: RecordHeader, scope: FileScope, location: SourceLocation): DomainName | undefined {
    if (header.ownerToken === undefined) {
      if (scope.ownerUnreadable) return undefined;
      if (scope.owner === undefined) {
        throw syntaxProblem('this line starts with a blank, so it belongs to the previous owner, but no owner came before it', location);
      }
      return scope.owner;
    }
    try {
      scope.owner = readNameToken(header.ownerToken, scope.origin, 'owner').name;
    } catch (error) {
      scope.owner = undefined;
      scope.ownerUnreadable = true;
      throw error;
    }
    scope.ownerUnreadable = false;
    return scope.owner;
  }

  /** Name servers ignore data outside the zone (BIND: "ignoring out-of-zone data"), so it is not entered. */
  private checkInZone(owner: DomainName, location: SourceLocation): void {
    if (this.originStated && !isAtOrBelow(owner, this.zoneOrigin)) {
      throw syntaxProblem(`${nameToText(owner)} is outside the zone ${nameToText(this.zoneOrigin)}: name servers ignore it`, location);
    }
  }

  /** The TTL written, else the $TTL in effect, else a guess; it becomes the previous record's TTL. */
  private recordTtl(explicitTtl: number | undefined, parsed: ParsedRdata, location: SourceLocation): number {
    const ttl = explicitTtl ?? this.dollarTtl ?? this.guessTtl(parsed, location);
    this.previousTtl = ttl;
    return ttl;
  }

  /**
   * Without a TTL and a $TTL: the previous record's (RFC 1035 §5.1), else for the SOA itself its
   * minimum field. Servers load the zone with a warning but disagree on this default (BIND takes the
   * SOA minimum for every record), so the first guess is reported, once per zone; the record is kept.
   */
  private guessTtl(parsed: ParsedRdata, location: SourceLocation): number {
    const soaMinimum = parsed.rdata.type === 'SOA' ? parsed.rdata.data.minimum : undefined;
    const guess = this.previousTtl ?? soaMinimum;
    if (guess === undefined) {
      throw syntaxProblem('no TTL: this record gives none and no $TTL comes before it; put `$TTL 3600` (or another default) at the top of the file', location);
    }
    if (!this.ttlGuessReported) {
      this.ttlGuessReported = true;
      const source = this.previousTtl !== undefined ? "the previous record's TTL" : 'the SOA minimum';
      this.report({
        code: 'zone-ttl-missing',
        message: `no $TTL before this record and it gives no TTL: servers load the zone, but this record and those after it get a guessed TTL (mxlint uses ${guess}, ${source}; BIND takes the SOA minimum, others differ)`,
        fix: `put \`$TTL ${guess}\` (or the default TTL meant) at the top of the file`,
        location,
      });
    }
    return guess;
  }
}

/**
 * What a record's data is read from: its type, the origin relative names are read against, and each
 * field as written (quoted or not, its length before its text, so no two lists of fields make one
 * key); undefined for data longer than MAX_SHARED_RDATA_TEXT.
 */
function sharedRdataKey(header: RecordHeader, originText: string): string | undefined {
  let key = `${header.rrtype} ${originText.length}:${originText}`;
  let length = 0;
  for (const token of header.rdataTokens) {
    length += token.text.length;
    if (length > MAX_SHARED_RDATA_TEXT) return undefined;
    key += `${token.quoted ? '"' : ' '}${token.text.length}:${token.text}`;
  }
  return key;
}

function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function includePath(includingFile: string, written: string): string {
  return isAbsolute(written) ? normalize(written) : join(dirname(includingFile), written);
}

function expectArguments(keyword: Token, args: Token[], min: number, max: number, usage: string): void {
  if (args.length < min) throw syntaxProblem(`${keyword.text} needs an argument: ${usage}`, keyword.location);
  const extra = args[max];
  if (extra !== undefined) throw syntaxProblem(`unexpected "${extra.text}" after ${keyword.text}: ${usage}`, extra.location);
}

function checkClass(classToken: Token | undefined): void {
  if (classToken !== undefined && rrclassNumber(classToken.text) !== CLASS_IN) {
    throw syntaxProblem(`class ${classToken.text} does not match the zone's class IN`, classToken.location);
  }
}

/**
 * What mxlint needs from a Postfix configuration, read out of its parameters: the host name, the
 * addresses it listens on, the domains it accepts mail for (lookup tables read from their text
 * sources), the size limit and the TLS level. Whatever cannot be read becomes a problem or a
 * not-checked note with the main.cf line it comes from; nothing here touches the network.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { isIP } from 'node:net';
import { FileReadError, MAX_FILE_BYTES, readTextFile } from '../../core/files.js';
import { parseDomainInput } from '../../dns/name.js';
import type { SourceLocation } from '../../core/finding.js';
import type { ConfigProblem, MainCf } from './main-cf.js';
import { listItems, PostfixParameters } from './parameters.js';

/** The parameters that name the domains Postfix accepts mail for (ADDRESS_CLASS_README). */
export const DOMAIN_PARAMETERS = ['mydestination', 'virtual_alias_domains', 'virtual_mailbox_domains', 'relay_domains'] as const;
export type DomainParameter = (typeof DOMAIN_PARAMETERS)[number];

/**
 * Octets of the table sources and list files read for one configuration, together (main.cf has the
 * bound of any one file): their text is kept to show the lines domains come from.
 */
export const MAX_TABLE_BYTES = 64 * 1024 * 1024;

/** Accepted domains checked for one configuration: each gets a domain check of its own, held until the report. */
export const MAX_ACCEPTED_DOMAINS = 10_000;

/** Table types Postfix reads from a database postmap builds from a text file of the same name, and the files it builds. */
const INDEXED_TABLES: ReadonlyMap<string, readonly string[]> = new Map([
  ['hash', ['.db']], ['btree', ['.db']], ['lmdb', ['.lmdb']], ['cdb', ['.cdb']], ['dbm', ['.dir', '.pag']], ['sdbm', ['.dir', '.pag']],
]);

/** smtpd_tls_security_level: none (no STARTTLS), may (offered), encrypt (required), or a dane/verify level of smtp(8) misused here. */
export type TlsLevel = 'none' | 'may' | 'encrypt';

export interface AcceptedDomain {
  domain: string;
  parameter: DomainParameter;
  /** The line that names the domain: the parameter's, or a table source's. */
  location: SourceLocation;
}

/** A list entry whose domains cannot be read: a regexp, SQL or LDAP table, a source not readable here; or one Postfix cannot open. */
export interface UncheckedTable {
  parameter: string;
  entry: string;
  reason: string;
  location: SourceLocation;
}

export type Setting<T> = { value: T; location: SourceLocation | undefined };

export interface ServerConfig {
  file: string;
  /** Texts of main.cf and of the table sources read, by file, for showing lines. */
  sources: Map<string, string>;
  /** null: not set (Postfix would take the machine's host name, which mxlint cannot know), or not expandable. */
  myhostname: Setting<string> | null;
  /** The domain of myorigin (what Postfix appends to local sender addresses). */
  myorigin: Setting<string> | null;
  /** Explicit addresses of inet_interfaces ("all", "loopback-only" and host names give none). */
  interfaces: { address: string; family: 4 | 6; location: SourceLocation | undefined }[];
  acceptedDomains: AcceptedDomain[];
  uncheckedTables: UncheckedTable[];
  /** Tables and list files that are not there (nor, for an indexed table, its database), or are no regular file: Postfix cannot open them. */
  missingTables: UncheckedTable[];
  /** Bytes; 0: no limit. null when the value is not a number. */
  messageSizeLimit: Setting<number | null>;
  tlsLevel: Setting<TlsLevel | string>;
  /** smtpd_tls_chain_files, else smtpd_tls_cert_file: the files (relative ones beside main.cf), and where they are set. */
  certificateFiles: Setting<string[]>;
  problems: ConfigProblem[];
}

/** localhost, localhost.$mydomain and single-label names: never mail for the outside world. */
function isLocalName(domain: string): boolean {
  return !domain.includes('.') || domain === 'localhost' || domain.startsWith('localhost.');
}

/** Splits a list as Postfix does, keeping `{ … }` groups (inline: tables) whole. */
function listEntries(value: string): string[] {
  const entries: string[] = [];
  let rest = value;
  while (rest !== '') {
    const group = /^\s*,?\s*([^\s,{]*\{[^}]*\}?)/.exec(rest);
    if (group && group[1]!.includes('{')) {
      entries.push(group[1]!);
      rest = rest.slice(group[0].length);
      continue;
    }
    const item = /^[\s,]*([^\s,]+)?/.exec(rest)!;
    if (item[1] !== undefined) entries.push(item[1]);
    rest = rest.slice(item[0].length);
  }
  return entries;
}

interface TableKey {
  key: string;
  location: SourceLocation;
}

/**
 * The first column of each entry of a postmap source, or each word of a list file; # comments and
 * continuations skipped. Taken one line at a time: a table may have millions.
 */
function* readKeys(file: string, text: string, wholeLines: boolean): Generator<TableKey> {
  let start = 0;
  for (let index = 0; start <= text.length; index++) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    start = end === -1 ? text.length + 1 : end + 1;
    if (/^\s*(#|$)/.test(line) || (!wholeLines && /^\s/.test(line))) continue;
    for (const key of wholeLines ? listItems(line) : [line.trim().split(/\s+/)[0]!]) {
      yield { key, location: { file, line: index + 1, column: line.indexOf(key) + 1 } };
    }
  }
}

/** Whether any of the files exists (the database postmap built): 'unknown' when that cannot be told from here. */
function anyExists(paths: readonly string[]): boolean | 'unknown' {
  let unknown = false;
  for (const path of paths) {
    try {
      statSync(path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') unknown = true;
    }
  }
  return unknown ? 'unknown' : false;
}

class ConfigReader {
  readonly params: PostfixParameters;
  readonly problems: ConfigProblem[];
  readonly sources: Map<string, string>;
  readonly uncheckedTables: UncheckedTable[] = [];
  readonly missingTables: UncheckedTable[] = [];
  /** Each domain once, at the first parameter that names it (mydestination before the virtual classes), up to MAX_ACCEPTED_DOMAINS. */
  readonly accepted = new Map<string, AcceptedDomain>();
  /** The first domain past MAX_ACCEPTED_DOMAINS, and how many there were. */
  private overflow: { first: AcceptedDomain; count: number } | undefined;
  private tableBytes = 0;
  private readonly baseDir: string;

  constructor(readonly config: MainCf) {
    this.params = new PostfixParameters(config);
    this.problems = [...config.problems];
    this.sources = new Map([[config.file, config.text]]);
    this.baseDir = dirname(config.file);
  }

  /** The parameter's line; undefined when it keeps its default. */
  here(name: string): SourceLocation | undefined {
    return this.params.location(name);
  }

  /** Where to point a problem with the parameter: its line, or the top of the file when it keeps its default. */
  private at(name: string): SourceLocation {
    return this.here(name) ?? { file: this.config.file, line: 1, column: 1 };
  }

  /** The expanded value; a loop or an expansion past the bounds is reported at the parameter, and the value taken as unknown. */
  value(name: string): string | null {
    const expanded = this.params.expand(name);
    if (expanded.ok) return expanded.value.trim();
    this.problems.push({ message: `${name} cannot be expanded: ${expanded.problem}`, location: this.at(name) });
    return null;
  }

  /** A table source or list file: absolute, or beside main.cf (shown as the path to it, like main.cf's). */
  private sourcePath(path: string): string {
    return isAbsolute(path) ? path : join(this.baseDir, path);
  }

  /** A table source or list file as text, within what is left of MAX_TABLE_BYTES; or why not. */
  private readSource(path: string): string | FileReadError {
    const room = MAX_TABLE_BYTES - this.tableBytes;
    try {
      const { text } = readTextFile(path, Math.min(room, MAX_FILE_BYTES));
      this.tableBytes += Buffer.byteLength(text);
      this.sources.set(path, text);
      return text;
    } catch (error) {
      if (!(error instanceof FileReadError)) throw error;
      if (error.kind === 'too-large' && room < MAX_FILE_BYTES) {
        return new FileReadError(`with it the tables read would hold more than ${MAX_TABLE_BYTES / 2 ** 20} MiB, the most mxlint reads for one configuration`, 'too-large');
      }
      return error;
    }
  }

  /** The domain names a list parameter holds, reading tables and list files it names, into `accepted`. */
  readDomainsOf(parameter: DomainParameter): void {
    const value = this.value(parameter);
    if (value === null) return;
    const location = this.at(parameter);
    for (const entry of listEntries(value)) this.readEntry(parameter, entry, location);
  }

  private readEntry(parameter: DomainParameter, entry: string, location: SourceLocation): void {
    // !name excludes and .name matches subdomains: neither names a domain to check.
    if (entry.startsWith('!') || entry.startsWith('.')) return;
    const unchecked = (reason: string): void => void this.uncheckedTables.push({ parameter, entry, reason, location });
    const missing = (reason: string): void => void this.missingTables.push({ parameter, entry, reason, location });
    const readKeysOf = (keys: Iterable<TableKey>): void => {
      for (const { key, location: at } of keys) if (!key.includes('@')) this.domainEntry(parameter, key, at);
    };
    if (entry.startsWith('/')) {
      const text = this.readSource(entry);
      if (typeof text === 'string') readKeysOf(readKeys(entry, text, true));
      else if (text.kind === 'absent' || text.kind === 'not-regular') missing(`the list file ${entry} cannot be opened: ${text.message}`);
      else unchecked(`the list file ${entry} cannot be read here: ${text.message}`);
      return;
    }
    const colon = entry.indexOf(':');
    if (colon === -1) {
      this.domainEntry(parameter, entry, location);
      return;
    }
    const type = entry.slice(0, colon).toLowerCase();
    const name = entry.slice(colon + 1);
    if (type === 'inline') {
      const inner = name.replace(/^\{|\}$/g, '');
      readKeysOf(inner.split(',').map((item) => ({ key: item.split('=')[0]!.trim(), location })).filter(({ key }) => key !== ''));
      return;
    }
    const databaseSuffixes = INDEXED_TABLES.get(type);
    if (databaseSuffixes === undefined && type !== 'texthash') {
      unchecked(`a ${type}: table is looked up by Postfix at run time; mxlint reads only the text sources of hash, btree, lmdb, cdb, dbm, sdbm and texthash tables`);
      return;
    }
    const sourcePath = this.sourcePath(name.replace(/\.db$/, ''));
    const text = this.readSource(sourcePath);
    if (typeof text === 'string') {
      readKeysOf(readKeys(sourcePath, text, false));
      return;
    }
    // texthash: Postfix reads the text itself. Indexed: it reads only the database, which may be there without its source.
    const databases = (databaseSuffixes ?? []).map((suffix) => `${sourcePath}${suffix}`);
    const sourceGone = text.kind === 'absent' || text.kind === 'not-regular';
    if (sourceGone && (databaseSuffixes === undefined || anyExists(databases) === false)) {
      const database = databaseSuffixes === undefined ? '' : `there is no ${databases.join(' or ')}, and `;
      missing(`${database}its text source ${sourcePath} cannot be opened: ${text.message}`);
    } else {
      unchecked(`its text source ${sourcePath} (the file postmap builds the table from) cannot be read here: ${text.message}`);
    }
  }

  private domainEntry(parameter: DomainParameter, text: string, location: SourceLocation): void {
    const parsed = parseDomainInput(text);
    if (!parsed.valid) {
      this.problems.push({ message: `${parameter}: "${text}" is not a domain name (${parsed.reason})`, location });
      return;
    }
    if (isLocalName(parsed.name) || this.accepted.has(parsed.name)) return;
    const domain = { domain: parsed.name, parameter, location };
    if (this.accepted.size < MAX_ACCEPTED_DOMAINS) this.accepted.set(parsed.name, domain);
    else if (this.overflow === undefined) this.overflow = { first: domain, count: 1 };
    else this.overflow.count += 1;
  }

  /** The domains past MAX_ACCEPTED_DOMAINS, said once where they start. */
  noteOverflow(): void {
    if (this.overflow === undefined) return;
    const { first, count } = this.overflow;
    this.uncheckedTables.push({
      parameter: first.parameter, entry: first.domain, location: first.location,
      reason: `mxlint checks at most ${MAX_ACCEPTED_DOMAINS} accepted domains of one configuration, and this is the first of ${count} more`,
    });
  }

  hostSetting(name: 'myhostname' | 'myorigin'): Setting<string> | null {
    if (name === 'myhostname' && this.config.parameters.get('myhostname') === undefined) return null;
    const value = this.value(name);
    if (value === null || value === '') return null;
    return { value: value.toLowerCase().replace(/\.$/, ''), location: this.here(name) };
  }

  interfaces(): ServerConfig['interfaces'] {
    const value = this.value('inet_interfaces') ?? '';
    const location = this.here('inet_interfaces');
    const items = listItems(value).map((item) => item.replace(/^\[(.*)\]$/, '$1'));
    // "all", "loopback-only" and host names say nothing about the public address.
    return items.flatMap((item) => {
      const family = isIP(item);
      return family === 0 ? [] : [{ address: item.toLowerCase(), family: family as 4 | 6, location }];
    });
  }

  messageSizeLimit(): Setting<number | null> {
    const value = this.value('message_size_limit');
    const limit = value !== null && /^\d+$/.test(value) ? Number(value) : null;
    if (value !== null && limit === null) {
      this.problems.push({ message: `message_size_limit = ${value} is not a number of bytes`, location: this.at('message_size_limit') });
    }
    return { value: limit, location: this.here('message_size_limit') };
  }

  /** smtpd_tls_security_level, or what the obsolete smtpd_use_tls / smtpd_enforce_tls say when it is empty. */
  tlsLevel(): Setting<TlsLevel | string> {
    const level = (this.value('smtpd_tls_security_level') ?? '').toLowerCase();
    if (level !== '') return { value: level, location: this.here('smtpd_tls_security_level') };
    if ((this.value('smtpd_enforce_tls') ?? '').toLowerCase() === 'yes') return { value: 'encrypt', location: this.here('smtpd_enforce_tls') };
    if ((this.value('smtpd_use_tls') ?? '').toLowerCase() === 'yes') return { value: 'may', location: this.here('smtpd_use_tls') };
    return { value: 'none', location: this.here('smtpd_tls_security_level') };
  }

  certificateFiles(): Setting<string[]> {
    const chain = listItems(this.value('smtpd_tls_chain_files') ?? '');
    const [files, parameter] = chain.length > 0 ? [chain, 'smtpd_tls_chain_files'] : [listItems(this.value('smtpd_tls_cert_file') ?? ''), 'smtpd_tls_cert_file'];
    return { value: files.map((file) => this.sourcePath(file)), location: this.here(parameter) };
  }
}

/** A loop shows wherever the looping parameter is expanded: each problem once (a table may hold a million bad keys). */
function distinctProblems(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.location.file}:${problem.location.line} ${problem.message}`;
    return !seen.has(key) && seen.add(key);
  });
}

export function readServerConfig(config: MainCf): ServerConfig {
  const reader = new ConfigReader(config);
  for (const parameter of DOMAIN_PARAMETERS) reader.readDomainsOf(parameter);
  reader.noteOverflow();
  return {
    file: config.file,
    sources: reader.sources,
    myhostname: reader.hostSetting('myhostname'),
    myorigin: reader.hostSetting('myorigin'),
    interfaces: reader.interfaces(),
    acceptedDomains: [...reader.accepted.values()],
    uncheckedTables: reader.uncheckedTables,
    missingTables: reader.missingTables,
    messageSizeLimit: reader.messageSizeLimit(),
    tlsLevel: reader.tlsLevel(),
    certificateFiles: reader.certificateFiles(),
    problems: distinctProblems(reader.problems),
  };
}

/**
 * What mxlint needs from a Postfix configuration, read out of its parameters: the host name, the
 * addresses it listens on, the domains it accepts mail for (lookup tables read from their text
 * sources), the size limit and the TLS level. Whatever cannot be read becomes a problem or a
 * not-checked note with the main.cf line it comes from; nothing here touches the network.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { isIP } from 'node:net';
import { parseDomainInput } from '../../dns/name.js';
import type { SourceLocation } from '../../core/finding.js';
import type { ConfigProblem, MainCf } from './main-cf.js';
import { listItems, PostfixParameters } from './parameters.js';

/** The parameters that name the domains Postfix accepts mail for (ADDRESS_CLASS_README). */
export const DOMAIN_PARAMETERS = ['mydestination', 'virtual_alias_domains', 'virtual_mailbox_domains', 'relay_domains'] as const;
export type DomainParameter = (typeof DOMAIN_PARAMETERS)[number];

/** Table types stored as a database built by postmap from a text file of the same name (".db" added). */
const INDEXED_TABLES = new Set(['hash', 'btree', 'lmdb', 'cdb', 'dbm', 'sdbm']);

/** smtpd_tls_security_level: none (no STARTTLS), may (offered), encrypt (required), or a dane/verify level of smtp(8) misused here. */
export type TlsLevel = 'none' | 'may' | 'encrypt';

export interface AcceptedDomain {
  domain: string;
  parameter: DomainParameter;
  /** The line that names the domain: the parameter's, or a table source's. */
  location: SourceLocation;
}

/** A list entry whose domains cannot be read: a regexp, SQL or LDAP table, or a source that is not there. */
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

/** The first column of each entry of a postmap source, or each word of a list file; # comments and continuations skipped. */
function readKeys(file: string, text: string, wholeLines: boolean): TableKey[] {
  return text.split('\n').flatMap((line, index) => {
    if (/^\s*(#|$)/.test(line) || (!wholeLines && /^\s/.test(line))) return [];
    const keys = wholeLines ? listItems(line) : [line.trim().split(/\s+/)[0]!];
    return keys.map((key) => ({ key, location: { file, line: index + 1, column: line.indexOf(key) + 1 } }));
  });
}

class ConfigReader {
  readonly params: PostfixParameters;
  readonly problems: ConfigProblem[];
  readonly sources: Map<string, string>;
  readonly uncheckedTables: UncheckedTable[] = [];
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

  /** The expanded value; a loop is reported once, at the parameter, and the value taken as unknown. */
  value(name: string): string | null {
    const expanded = this.params.expand(name);
    if (expanded.ok) return expanded.value.trim();
    this.problems.push({
      message: `${name} cannot be expanded: ${expanded.loop.map((n) => `$${n}`).join(' → ')} refers back to itself, and Postfix stops with "unreasonable macro call nesting"`,
      location: this.at(name),
    });
    return null;
  }

  /** A table source or list file: absolute, or beside main.cf (shown as the path to it, like main.cf's). */
  private sourcePath(path: string): string {
    return isAbsolute(path) ? path : join(this.baseDir, path);
  }

  private readSource(path: string): string | null {
    try {
      const text = readFileSync(path, 'utf8');
      this.sources.set(path, text);
      return text;
    } catch {
      return null;
    }
  }

  /** The domain names a list parameter holds, reading tables and list files it names. */
  domainsOf(parameter: DomainParameter): AcceptedDomain[] {
    const value = this.value(parameter);
    if (value === null) return [];
    const location = this.at(parameter);
    return listEntries(value).flatMap((entry) => this.entryDomains(parameter, entry, location));
  }

  private entryDomains(parameter: DomainParameter, entry: string, location: SourceLocation): AcceptedDomain[] {
    // !name excludes and .name matches subdomains: neither names a domain to check.
    if (entry.startsWith('!') || entry.startsWith('.')) return [];
    const unchecked = (reason: string): AcceptedDomain[] => {
      this.uncheckedTables.push({ parameter, entry, reason, location });
      return [];
    };
    const asKeys = (keys: TableKey[]): AcceptedDomain[] => keys
      .filter(({ key }) => !key.includes('@'))
      .flatMap(({ key, location: at }) => this.domainEntry(parameter, key, at));
    if (entry.startsWith('/')) {
      const text = this.readSource(entry);
      return text === null ? unchecked(`the list file ${entry} cannot be read here`) : asKeys(readKeys(entry, text, true));
    }
    const colon = entry.indexOf(':');
    if (colon === -1) return this.domainEntry(parameter, entry, location);
    const type = entry.slice(0, colon).toLowerCase();
    const name = entry.slice(colon + 1);
    if (type === 'inline') {
      const inner = name.replace(/^\{|\}$/g, '');
      return asKeys(inner.split(',').map((item) => ({ key: item.split('=')[0]!.trim(), location })).filter(({ key }) => key !== ''));
    }
    if (!INDEXED_TABLES.has(type) && type !== 'texthash') {
      return unchecked(`a ${type}: table is looked up by Postfix at run time; mxlint reads only the text sources of hash, btree, lmdb, cdb, dbm, sdbm and texthash tables`);
    }
    const sourcePath = this.sourcePath(name.replace(/\.db$/, ''));
    const text = this.readSource(sourcePath);
    if (text === null) return unchecked(`its text source ${sourcePath} (the file postmap builds the table from) cannot be read here`);
    return asKeys(readKeys(sourcePath, text, false));
  }

  private domainEntry(parameter: DomainParameter, text: string, location: SourceLocation): AcceptedDomain[] {
    const parsed = parseDomainInput(text);
    if (!parsed.valid) {
      this.problems.push({ message: `${parameter}: "${text}" is not a domain name (${parsed.reason})`, location });
      return [];
    }
    return isLocalName(parsed.name) ? [] : [{ domain: parsed.name, parameter, location }];
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

/** Each domain once, at the first parameter that names it (mydestination before the virtual classes). */
function distinct(domains: AcceptedDomain[]): AcceptedDomain[] {
  const seen = new Set<string>();
  return domains.filter(({ domain }) => !seen.has(domain) && seen.add(domain));
}

export function readServerConfig(config: MainCf): ServerConfig {
  const reader = new ConfigReader(config);
  const acceptedDomains = distinct(DOMAIN_PARAMETERS.flatMap((parameter) => reader.domainsOf(parameter)));
  return {
    file: config.file,
    sources: reader.sources,
    myhostname: reader.hostSetting('myhostname'),
    myorigin: reader.hostSetting('myorigin'),
    interfaces: reader.interfaces(),
    acceptedDomains,
    uncheckedTables: reader.uncheckedTables,
    messageSizeLimit: reader.messageSizeLimit(),
    tlsLevel: reader.tlsLevel(),
    certificateFiles: reader.certificateFiles(),
    // A loop shows wherever the looping parameter is expanded: report it once.
    problems: reader.problems.filter((problem, index, all) => all.findIndex((p) => p.message === problem.message && p.location.line === problem.location.line) === index),
  };
}

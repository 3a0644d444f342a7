/**
 * Every name a domain's mail setup depends on, with the records that lead to it: whoever holds the
 * name holds that part of the setup.
 */
import type { CheckOptions } from '../../core/options.js';
import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import { canonicalName } from '../../dns/name.js';
import { txtToString } from '../../dns/records.js';
import { finalName, followChain } from '../../facts/chain.js';
import type { ChainOutcome } from '../../facts/chain.js';
import { DKIM_DISCOVERY_SELECTORS, domainkeyName, selectorName } from '../../facts/dkim-selectors.js';
import type { HostFacts, MailFacts } from '../../facts/mail.js';
import { takesNoMail } from '../../facts/mail-domain.js';
import { organizationalDomain } from '../../facts/organizational-domain.js';
import { collectSpfPolicy } from '../../facts/spf/policy.js';
import type { SpfPolicy } from '../../facts/spf/policy.js';
import { findZoneCut } from '../../facts/zone-cut.js';
import { parseReportUri, REPORT_URI_SIZE } from '../common/report-uri.js';
import { DKIM_TAG_NAME, parseTagList, startsWithVersionTag, tagValue } from '../common/tag-list.js';

/** What whoever holds a name can do with it, by the part of the setup that names it. */
export type DependencyRole = 'mail' | 'spf' | 'dmarc-policy' | 'dmarc-reports' | 'dkim-key' | 'mta-sts-policy' | 'tls-reports' | 'name-server';

/** One record on the way to a name: "example.com MX 10 mx.example.net". */
export interface Link {
  owner: string;
  record: string;
}

export interface Dependency {
  /** A-label form, lower case, no trailing dot. */
  name: string;
  role: DependencyRole;
  /** The records that lead to it, from the checked domain on; never empty. */
  path: Link[];
}

/** An alias on the way whose target does not exist (NXDOMAIN at the target). */
export interface DanglingAlias {
  /** The name that is the alias (the owner of the last CNAME). */
  alias: string;
  target: string;
  role: DependencyRole;
  /** The records that lead to the target, the CNAME last. */
  path: Link[];
}

/** A record lookup that failed, and the family that reads (and reports) the same record, if another does. */
export interface UnreadRecord {
  failure: LookupFailure;
  family: 'spf' | 'dmarc' | 'dkim' | 'tlsrpt' | 'mta-sts' | null;
}

export interface Dependencies {
  names: Dependency[];
  dangling: DanglingAlias[];
  /** The record lookups that failed: what depends on those records is not known. */
  unread: UnreadRecord[];
}

/** "example.com MX 10 mx.example.net → mx.example.net CNAME mx.gone.example": the way to a name, as the findings show it. */
export function describePath(path: readonly Link[]): string {
  return path.map((link) => `${link.owner} ${link.record}`).join(' → ');
}

/** One source's dependencies, in the order found. */
class Collector {
  readonly names: Dependency[] = [];
  readonly dangling: DanglingAlias[] = [];
  readonly failures: LookupFailure[] = [];

  add(name: string, role: DependencyRole, path: Link[]): void {
    this.names.push({ name, role, path });
  }

  /**
   * Every alias target the chain from `start` (reached by `path`) runs through, each a dependency;
   * a chain that ends in NXDOMAIN leaves a dangling alias.
   */
  aliasTargets(start: string, outcome: { state: string; chain: string[] }, role: DependencyRole, path: Link[]): void {
    let way = path;
    outcome.chain.forEach((target, index) => {
      const alias = index === 0 ? start : outcome.chain[index - 1]!;
      way = [...way, { owner: alias, record: `CNAME ${target}` }];
      this.add(target, role, way);
      if (index === outcome.chain.length - 1 && outcome.state === 'nxdomain') this.dangling.push({ alias, target, role, path: way });
    });
  }
}

/** The chain the host's addresses were looked up through (the longer reading if A and AAAA disagree). */
function hostChain(host: HostFacts): ChainOutcome<'A'> | ChainOutcome<'AAAA'> {
  return host.a.chain.length >= host.aaaa.chain.length ? host.a : host.aaaa;
}

function mailDependencies(_lookups: LookupSource, mail: MailFacts, into: Collector): void {
  // The domain itself an alias: its MX (or address) is whatever the target says.
  into.aliasTargets(mail.domain, mail.mx, 'mail', []);
  if (mail.implicit !== null) into.aliasTargets(mail.implicit.name, hostChain(mail.implicit), 'mail', []);
  if (mail.mx.state !== 'found') return;
  const canonical = finalName(mail.domain, mail.mx);
  // In the order senders try them, not the order of the answer (resolvers shuffle it): the same findings every run.
  const records = [...mail.mx.records].sort((x, y) => x.data.preference - y.data.preference || x.data.exchange.localeCompare(y.data.exchange));
  const exchanges = new Map(mail.exchanges.map((exchange) => [exchange.name, exchange]));
  for (const mx of records) {
    const exchange = exchanges.get(mx.data.exchange);
    // Once each, at its lowest preference; the null MX's "." and names that are not host names name nothing.
    if (exchange?.kind !== 'host') continue;
    exchanges.delete(mx.data.exchange);
    const path = [{ owner: canonical, record: `MX ${mx.data.preference} ${exchange.name}` }];
    into.add(exchange.name, 'mail', path);
    into.aliasTargets(exchange.name, hostChain(exchange.host), 'mail', path);
  }
}

async function nameServerDependencies(lookups: LookupSource, mail: MailFacts, into: Collector): Promise<void> {
  const cut = await findZoneCut(lookups, mail.domain);
  if (!cut.ok) {
    into.failures.push(cut.failure);
    return;
  }
  for (const nameServer of cut.nameServers) into.add(nameServer, 'name-server', [{ owner: cut.zone, record: `NS ${nameServer}` }]);
}

/** Every name a term of the policy tree looks up, reached through the includes and redirects before it. */
function spfTargets(policy: SpfPolicy, way: Link[], into: Collector): void {
  if (policy.lookup.state === 'failed') into.failures.push(policy.lookup.failure);
  for (const term of policy.dnsTerms) {
    if (term.target === null) continue;
    const path = [...way, { owner: policy.domain, record: `SPF ${term.text}` }];
    if (term.target !== policy.domain) into.add(term.target, 'spf', path);
    if ('policy' in term && typeof term.policy !== 'string') spfTargets(term.policy, path, into);
  }
}

async function spfDependencies(lookups: LookupSource, mail: MailFacts, into: Collector): Promise<void> {
  spfTargets(await collectSpfPolicy(lookups, mail.domain), [], into);
}

/** The TXT records at `name`, with the aliases on the way as dependencies of `role` and a failed lookup kept. */
async function followTxt(lookups: LookupSource, name: string, role: DependencyRole, into: Collector): Promise<ChainOutcome<'TXT'>> {
  const outcome = await followChain(lookups, name, 'TXT');
  into.aliasTargets(name, outcome, role, []);
  if (outcome.state === 'failed') into.failures.push(outcome.failure);
  return outcome;
}

/** The TXT records at `name` that `isRecord` takes, with the aliases on the way as dependencies of `role`; null when the lookup failed. */
async function recordTexts(lookups: LookupSource, name: string, isRecord: (text: string) => boolean, role: DependencyRole, into: Collector): Promise<string[] | null> {
  const outcome = await followTxt(lookups, name, role, into);
  if (outcome.state === 'failed') return null;
  return outcome.state === 'found' ? outcome.records.map((r) => txtToString(r.data)).filter(isRecord) : [];
}

/** The hosts every report URI of the records' `tags` goes to, the way senders read them (leniently: the dmarc and tlsrpt families judge the syntax). */
function reportDependencies(owner: string, kind: string, texts: string[], tags: string[], role: DependencyRole, into: Collector): void {
  for (const text of texts) {
    const list = parseTagList(text, { spaceAroundEquals: true, tagName: DKIM_TAG_NAME });
    for (const tag of tags) {
      for (const written of (tagValue(list, tag) ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
        const parsed = parseReportUri(written.replace(REPORT_URI_SIZE, ''), 'any');
        if (parsed.ok) into.add(parsed.uri.host, role, [{ owner, record: `${kind} ${tag}=${written}` }]);
      }
    }
  }
}

async function dmarcDependencies(lookups: LookupSource, { domain }: MailFacts, into: Collector): Promise<void> {
  const isDmarc = (text: string): boolean => startsWithVersionTag(text, 'dmarc');
  // Where receivers look (RFC 9989 §4.10.1): the domain's own record, else its organizational domain's (by the PSL: a psd= tag on the way is the dmarc family's to read).
  const organizational = organizationalDomain(domain);
  for (const source of organizational === null || organizational === domain ? [domain] : [domain, organizational]) {
    const name = `_dmarc.${source}`;
    const texts = await recordTexts(lookups, name, isDmarc, 'dmarc-policy', into);
    // A failed lookup is where receivers stop too (a temporary error), not a reason to look further.
    if (texts === null) return;
    if (texts.length === 0) continue;
    reportDependencies(name, 'DMARC', texts, ['rua', 'ruf'], 'dmarc-reports', into);
    return;
  }
}

/**
 * The aliases of the DKIM selectors the check asks about (given, and with discovery the common
 * ones): a selector is often a CNAME to a provider's key, and whoever holds the target publishes the
 * key verifiers use for the domain's signatures.
 */
async function dkimDependencies(lookups: LookupSource, mail: MailFacts, into: Collector, { dkimSelectors = [], dkimDiscover = false }: CheckOptions): Promise<void> {
  const selectors = [...new Set([...dkimSelectors.map(canonicalName), ...(dkimDiscover ? DKIM_DISCOVERY_SELECTORS.map((s) => s.selector) : [])])];
  if (selectors.length === 0) return;
  const domainkey = await followChain(lookups, domainkeyName(mail.domain), 'TXT');
  if (domainkey.state === 'failed') {
    into.failures.push(domainkey.failure);
    return;
  }
  // Nothing exists below a name that does not (RFC 8020): no selector to ask.
  if (domainkey.state === 'nxdomain' && domainkey.chain.length === 0) return;
  await Promise.all(selectors.map((selector) => followTxt(lookups, selectorName(selector, mail.domain), 'dkim-key', into)));
}

async function tlsRptDependencies(lookups: LookupSource, mail: MailFacts, into: Collector): Promise<void> {
  if (takesNoMail(mail)) return;
  const name = `_smtp._tls.${mail.domain}`;
  const texts = await recordTexts(lookups, name, (text) => startsWithVersionTag(text, 'tlsrptv1'), 'tls-reports', into);
  reportDependencies(name, 'TLS-RPT', texts ?? [], ['rua'], 'tls-reports', into);
}

async function mtaStsDependencies(lookups: LookupSource, mail: MailFacts, into: Collector): Promise<void> {
  if (takesNoMail(mail)) return;
  const name = `_mta-sts.${mail.domain}`;
  const texts = await recordTexts(lookups, name, (text) => startsWithVersionTag(text, 'stsv1'), 'mta-sts-policy', into);
  if (texts === null || texts.length === 0) return;
  // Senders fetch the policy from this host (RFC 8461 §3.3): whoever answers for it serves the policy.
  const host = `mta-sts.${mail.domain}`;
  const address = await followChain(lookups, host, 'A');
  if (address.state === 'failed') into.failures.push(address.failure);
  into.aliasTargets(host, address, 'mta-sts-policy', [{ owner: name, record: `MTA-STS policy host ${host}` }]);
}

/**
 * Where the names come from, each read into a collector of its own, in the order the findings list
 * them; with the family that reads the same records, which reports their failed lookups when it runs.
 */
const SOURCES: { read: (lookups: LookupSource, mail: MailFacts, into: Collector, options: CheckOptions) => void | Promise<void>; family: UnreadRecord['family'] }[] = [
  { read: mailDependencies, family: null },
  { read: nameServerDependencies, family: null },
  { read: spfDependencies, family: 'spf' },
  { read: dmarcDependencies, family: 'dmarc' },
  { read: dkimDependencies, family: 'dkim' },
  { read: tlsRptDependencies, family: 'tlsrpt' },
  { read: mtaStsDependencies, family: 'mta-sts' },
];

/**
 * The names `mail.domain`'s setup depends on: its MX exchanges (and the domain's own alias), the
 * name servers of its zone, every target of its SPF policy tree, where its DMARC and TLS-RPT reports
 * go, the DKIM selectors the options name, and its MTA-STS policy host, with every CNAME on the way.
 */
export async function collectDependencies(lookups: LookupSource, mail: MailFacts, options: CheckOptions): Promise<Dependencies> {
  const parts = await Promise.all(SOURCES.map(async ({ read, family }) => {
    const into = new Collector();
    await read(lookups, mail, into, options);
    return { into, family };
  }));
  return {
    names: parts.flatMap(({ into }) => into.names),
    dangling: parts.flatMap(({ into }) => into.dangling),
    unread: parts.flatMap(({ into, family }) => into.failures.map((failure) => ({ failure, family }))),
  };
}

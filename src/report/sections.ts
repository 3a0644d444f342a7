import { formatTlsa } from '../families/dane/tlsa.js';
import type {
  DaneSection, DmarcSection, DnsblSection, DnssecSection, DnssecState, DomainResult, MtaStsSection, PtrSection, PublishedState,
  PostfixSection, SmtpProbeSection, SmtpSection, TlsRptSection,
} from '../engine/result.js';
import { MAX_DNS_TERMS } from '../families/spf/limits.js';
import type { SpfSection } from '../families/spf/section.js';

/**
 * What each family found, a line or a few per family in the order of `--checks all`, read from the
 * result's sections only: "SPF v=spf1 mx -all (1 of 10 DNS lookups)", "PTR 192.0.2.25 → mx.example ✓ FCrDNS".
 * Marks read without colour: ✓ as it should be, ✗ not, ? not known.
 */
export interface SectionLine {
  /** The family as people write it: SPF, DMARC, MTA-STS … */
  label: string;
  text: string;
  /** Where it was found, or where the connection went: shown dimmed, in parentheses. */
  note?: string;
}

const line = (label: string, text: string, note?: string): SectionLine => (note === undefined ? { label, text } : { label, text, note });

/** Lists join with ", "; an empty one is "none". */
function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}

function spfLines(spf: SpfSection | undefined): SectionLine[] {
  return spf?.record ? [line('SPF', spf.record, `${spf.lookups} of ${MAX_DNS_TERMS} DNS lookups`)] : [];
}

/** The record states every TXT-published family shares; null for `found`, which each family says in its own way. */
function recordState(state: PublishedState, records: readonly string[] | undefined): string | null {
  switch (state) {
    case 'found': return null;
    case 'multiple': return `✗ ${records?.length ?? 'several'} records: none of them applies`;
    case 'none': return 'no record';
    case 'failed': return '? lookup failed';
    case 'skipped': return null;
  }
}

function dmarcLines(dmarc: DmarcSection | undefined): SectionLine[] {
  if (!dmarc || dmarc.state === 'skipped') return [];
  const where = dmarc.name === undefined ? undefined : dmarc.inherited ? `inherited from ${dmarc.name}` : dmarc.name;
  const state = recordState(dmarc.state, dmarc.records);
  if (state !== null) return [line('DMARC', state, where)];
  if (dmarc.policy === null || dmarc.policy === undefined) return [line('DMARC', '✗ the record is discarded by receivers (malformed)', where)];
  const pct = dmarc.pct !== undefined && dmarc.pct < 100 ? ` to ${dmarc.pct}% of mail` : '';
  const reports = dmarc.rua && dmarc.rua.length > 0 ? `, rua ${dmarc.rua.join(', ')}` : ', no aggregate reports';
  return [line('DMARC', `policy ${dmarc.policy}${pct}${reports}`, where)];
}

const POLICY_NOT_FETCHED: Record<Exclude<NonNullable<MtaStsSection['policy']>['fetch'], 'fetched'>, string> = {
  failed: '✗ policy not fetched: the server\'s answer is unusable',
  unreachable: '? policy not fetched: the server could not be reached',
  'not-public': '? policy not fetched: its host has no public address (not contacted without --allow-private)',
  'no-address': '✗ policy not fetched: its host has no address',
  'lookup-failed': '? policy not fetched: looking up its host failed',
};

function mtaStsLines(mtaSts: MtaStsSection | undefined): SectionLine[] {
  if (!mtaSts || mtaSts.state === 'skipped') return [];
  const state = recordState(mtaSts.state, mtaSts.records);
  const record = state ?? `id ${mtaSts.id ?? '? (malformed record)'}`;
  const { policy } = mtaSts;
  if (!policy) return [line('MTA-STS', record)];
  if (policy.fetch !== 'fetched') return [line('MTA-STS', `${record}; ${POLICY_NOT_FETCHED[policy.fetch]}`, policy.url)];
  const via = policy.connectedTo ? `, connected to ${policy.connectedTo}` : '';
  return [line('MTA-STS', `mode ${policy.mode ?? '?'}, max_age ${policy.maxAge ?? '?'}, mx ${list(policy.mx ?? [])}; ${record}`,
    `policy fetched from ${policy.address}${via}`)];
}

function tlsRptLines(tlsrpt: TlsRptSection | undefined): SectionLine[] {
  if (!tlsrpt || tlsrpt.state === 'skipped') return [];
  return [line('TLS-RPT', recordState(tlsrpt.state, tlsrpt.records) ?? `rua ${list(tlsrpt.rua ?? [])}`)];
}

const DNSSEC_STATE: Record<DnssecState, string> = { secure: 'authenticated', insecure: 'not authenticated', bogus: '✗ bogus', failed: '? lookup failed' };
/** The worse of two states, for a host's A and AAAA answers. */
const DNSSEC_RANK: Record<DnssecState, number> = { secure: 0, insecure: 1, failed: 2, bogus: 3 };

function dnssecLines(dnssec: DnssecSection | undefined): SectionLine[] {
  if (!dnssec) return [];
  if (dnssec.resolverValidates !== true) {
    return [line('DNSSEC', `? not known: ${dnssec.resolverValidates === false ? 'the resolver does not validate' : 'whether the resolver validates could not be told'}`)];
  }
  const [mx, ...addresses] = dnssec.lookups;
  const hosts = new Map<string, DnssecState>();
  for (const { name, state } of addresses) {
    const known = hosts.get(name);
    if (known === undefined || DNSSEC_RANK[state] > DNSSEC_RANK[known]) hosts.set(name, state);
  }
  const byState = (['secure', 'insecure', 'bogus', 'failed'] as const).flatMap((state) => {
    const names = [...hosts].filter(([, s]) => s === state).map(([name]) => name);
    return names.length > 0 ? [`${DNSSEC_STATE[state]}: ${names.join(', ')}`] : [];
  });
  const addressPart = byState.length > 0 ? `; addresses ${byState.join('; ')}` : '';
  return [line('DNSSEC', `MX answer ${mx ? DNSSEC_STATE[mx.state] : '?'}${addressPart}`)];
}

function daneLine(host: DaneSection['hosts'][number]): SectionLine {
  if (host.state === 'failed' || host.state === 'bogus') return line('DANE', `${host.exchange}: TLSA answer ${DNSSEC_STATE[host.state]}`, host.tlsaName);
  if (host.records.length === 0) return line('DANE', `${host.exchange}: no TLSA records`, host.tlsaName);
  const records = host.records.map((r) => `${formatTlsa(r.usage, r.selector, r.matchingType, r.data)}${r.usable ? '' : ' (unusable)'}`).join(', ');
  const applies = host.daneApplies === true ? 'authenticated' : host.daneApplies === false ? '✗ not authenticated: senders ignore them' : '? authentication not known';
  const parts = [`${host.exchange}: TLSA ${records}, ${applies}`];
  const matches = host.certificateMatches;
  if (matches === null) parts.push('certificates not compared (with --checks smtp they are)');
  else {
    const at = (matched: boolean | null) => matches.filter((m) => m.matched === matched);
    const matched = at(true);
    if (matched.length > 0) parts.push(`✓ matched by ${matched[0]!.by ?? 'a record'} at ${matched.map((m) => m.address).join(', ')}`);
    if (at(false).length > 0) parts.push(`✗ no match at ${at(false).map((m) => m.address).join(', ')}`);
  }
  return line('DANE', parts.join('; '), host.tlsaName);
}

function daneLines(dane: DaneSection | undefined): SectionLine[] {
  return dane ? dane.hosts.map(daneLine) : [];
}

function ptrLines(ptr: PtrSection | undefined): SectionLine[] {
  return (ptr?.addresses ?? []).map(({ host, address, names, forwardConfirmed }) => {
    if (names === null) return line('PTR', `${address} ? lookup failed`, `address of ${host}`);
    if (names.length === 0) return line('PTR', `${address} ✗ no PTR record`, `address of ${host}`);
    const fcrdns = forwardConfirmed === true ? '✓ FCrDNS' : forwardConfirmed === false ? '✗ no FCrDNS (no name resolves back)' : '? FCrDNS not known';
    // Whose address it is, where the PTR does not already say.
    return line('PTR', `${address} → ${names.join(', ')} ${fcrdns}`, names.includes(host) ? undefined : `address of ${host}`);
  });
}

function smtpLine(probe: SmtpProbeSection): SectionLine {
  const head = `${probe.exchange} ${probe.address}:`;
  if (!probe.probed) return line('SMTP', `${head} ? not probed: ${probe.skipped}`);
  const parts: string[] = [];
  // The greeting's code and host name, without the server's advertising.
  if (probe.banner !== null) parts.push(probe.banner.split('\n')[0]!.split(' ').slice(0, 2).join(' '));
  if (probe.ehlo) parts.push(probe.ehlo.starttls ? 'STARTTLS' : '✗ no STARTTLS');
  if (probe.tls) {
    const leaf = probe.tls.chain[0];
    parts.push(`${probe.tls.protocol} ${probe.tls.cipher}`);
    parts.push(`certificate ${probe.tls.certificateValid ? '✓ valid' : `✗ invalid (${probe.tls.certificateError ?? 'not verified'})`}`);
    parts.push(probe.tls.nameMatches ? `✓ for ${probe.exchange}` : `✗ not for ${probe.exchange} (${list(leaf?.altNames ?? [])})`);
    if (leaf) parts.push(`expires ${leaf.validTo.slice(0, 10)}`);
  }
  if (probe.failure) parts.push(`✗ ${probe.failure.phase}: ${probe.failure.message}`);
  return line('SMTP', `${head} ${parts.join(', ')}`, probe.connectedTo ? `connected to ${probe.connectedTo}` : undefined);
}

function smtpLines(smtp: SmtpSection | undefined): SectionLine[] {
  return smtp ? smtp.probes.map(smtpLine) : [];
}

function dnsblLines(dnsbl: DnsblSection | undefined): SectionLine[] {
  if (!dnsbl) return [];
  return dnsbl.zones.map((zone) => {
    const listings = dnsbl.listings.filter((l) => l.zone === zone);
    if (listings.length === 0) return line('DNSBL', `${zone}: no address to look up`);
    const listed = listings.filter((l) => l.state === 'listed')
      .map((l) => `✗ ${l.address} listed (${list(l.codes ?? [])}${l.reason ? ` "${l.reason}"` : ''})`);
    const unknown = listings.filter((l) => l.state === 'unknown').map((l) => `? ${l.address} not known`);
    const clean = listings.filter((l) => l.state === 'not-listed').length;
    const notListed = clean === 0 ? [] : clean === listings.length
      ? [`✓ not listed (${clean} address${clean === 1 ? '' : 'es'})`] : [`✓ ${clean} other${clean === 1 ? '' : 's'} not listed`];
    return line('DNSBL', `${zone}: ${[...listed, ...unknown, ...notListed].join(', ')}`);
  });
}

/** `mxlint postfix`: what the server result was checked from. */
function postfixLines(postfix: PostfixSection | undefined): SectionLine[] {
  if (!postfix) return [];
  const addresses = postfix.addresses.length > 0 ? postfix.addresses.map((a) => a.address).join(', ') : 'addresses not known';
  const size = postfix.messageSizeLimit === null ? 'SIZE ?' : postfix.messageSizeLimit === 0 ? 'no size limit' : `SIZE ${postfix.messageSizeLimit}`;
  const domains = postfix.acceptedDomains.length;
  return [line('POSTFIX', `${postfix.myhostname ?? 'myhostname not set'} at ${addresses}; ${domains} accepted domain${domains === 1 ? '' : 's'}; ${size}; TLS ${postfix.tlsSecurityLevel}`, postfix.file)];
}

/** Every family's lines for one result, in the order of `--checks all`; families that did not run have none. */
export function sectionLines(result: DomainResult): SectionLine[] {
  return [
    ...postfixLines(result.postfix), ...spfLines(result.spf), ...dmarcLines(result.dmarc), ...mtaStsLines(result['mta-sts']), ...tlsRptLines(result.tlsrpt),
    ...dnssecLines(result.dnssec), ...daneLines(result.dane), ...ptrLines(result.ptr), ...smtpLines(result.smtp), ...dnsblLines(result.dnsbl),
  ];
}

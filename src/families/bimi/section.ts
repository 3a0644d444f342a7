import type { PublishedState } from '../../facts/txt-record.js';
import { singleRecord } from './collect.js';
import type { BimiFacts, FetchOf } from './collect.js';
import { dmarcEnforcement } from './dmarc-enforcement.js';
import { logoMatches, validity } from './evidence.js';

/** How fetching a BIMI file came out, as `result.bimi.logo.fetch` and `result.bimi.evidence.fetch` say it. */
type FetchState = FetchOf<unknown>['state'];

/** `result.bimi` (--checks bimi): the assertion record, the logo and evidence it names, and the DMARC enforcement BIMI requires. */
export interface BimiSection {
  /** found: one record applies; multiple: none applies; none; failed: a lookup failed; skipped: the domain does not exist. */
  state: PublishedState;
  selector: string;
  /** SELECTOR._bimi.NAME where the records are (found, multiple). */
  name?: string;
  /** Found at the organizational domain, not the domain itself. */
  inherited?: boolean;
  records?: string[];
  /** The single record declines BIMI (l= and a= empty). */
  declined?: boolean;
  /** Whether DMARC enforces as BIMI requires; absent when not looked at (no usable record). */
  dmarc?: 'enforced' | 'not-enforced' | 'failed';
  /** The logo named by l=. */
  logo?: {
    url: string;
    fetch: FetchState;
    /** The address (from DNS) it came from, and where --connect-to sent the connection, if it did. */
    address?: string;
    connectedTo?: string;
    contentType?: string | null;
    /** Octets as served. */
    size?: number;
    /** Served gzip-compressed (SVGZ). */
    compressed?: boolean;
    /** An SVG Tiny PS document. */
    svgTinyPs?: boolean;
    title?: string | null;
  };
  /** The evidence document (a Mark Certificate chain) named by a=. */
  evidence?: {
    url: string;
    fetch: FetchState;
    address?: string;
    connectedTo?: string;
    /** The Mark Certificate, when the document holds exactly one. */
    certificate?: { subject: string; issuer: string; altNames: string[]; validFrom: string; validTo: string; valid: boolean };
    /** verified against the --ca anchors; not-verified: none were given; failed: it does not verify. */
    chain?: 'verified' | 'not-verified' | 'failed';
    /** The logo at l= is the one it carries; null when either is missing. */
    logoMatches?: boolean | null;
  };
}

function where(fetch: FetchOf<unknown>): { address?: string; connectedTo?: string } {
  if (fetch.state !== 'fetched') return {};
  return { address: fetch.address, ...(fetch.connectedTo ? { connectedTo: fetch.connectedTo } : {}) };
}

function logoSection(facts: BimiFacts): BimiSection['logo'] {
  const fetch = facts.indicator;
  if (fetch === null) return undefined;
  const base = { url: fetch.url, fetch: fetch.state, ...where(fetch) };
  if (fetch.state !== 'fetched') return base;
  const { reading } = fetch;
  return { ...base, contentType: fetch.contentType, size: fetch.size, compressed: reading.compressed, svgTinyPs: reading.problems.length === 0, title: reading.title };
}

/** The logo at l= against the Mark Certificate's; null when either is missing. */
function servedLogoMatches(facts: BimiFacts): boolean | null {
  const svg = facts.indicator?.state === 'fetched' ? facts.indicator.reading.svg : null;
  const logo = facts.evidence?.state === 'fetched' ? facts.evidence.reading.logo : null;
  return svg === null || logo === null ? null : logoMatches(logo, svg);
}

function evidenceSection(facts: BimiFacts): BimiSection['evidence'] {
  const fetch = facts.evidence;
  if (fetch === null) return undefined;
  const base = { url: fetch.url, fetch: fetch.state, ...where(fetch) };
  if (fetch.state !== 'fetched') return base;
  const { mark, chain } = fetch.reading;
  if (mark === null) return base;
  return {
    ...base,
    certificate: { ...mark, valid: validity(mark, facts.now) === 'valid' },
    chain: chain.state === 'verified' ? 'verified' : chain.state === 'no-anchors' ? 'not-verified' : 'failed',
    logoMatches: servedLogoMatches(facts),
  };
}

export function bimiSection(facts: BimiFacts): BimiSection {
  const { discovery, selector } = facts;
  if (discovery.state !== 'found') return { state: discovery.state, selector };
  const base = { selector, name: discovery.name, inherited: discovery.inherited, records: discovery.records.map((r) => r.text) };
  const record = singleRecord(discovery);
  if (record === null) return { state: 'multiple', ...base };
  const dmarc = facts.dmarc === null ? undefined : dmarcEnforcement(facts.dmarc).state;
  const logo = logoSection(facts);
  const evidence = evidenceSection(facts);
  return {
    state: 'found', ...base, declined: record.declined,
    ...(dmarc === undefined ? {} : { dmarc }), ...(logo ? { logo } : {}), ...(evidence ? { evidence } : {}),
  };
}

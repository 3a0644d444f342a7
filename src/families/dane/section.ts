import type { DnssecState } from '../../facts/dnssec-validation.js';
import { matchTlsa, unusableReason, USAGE_NAMES } from './tlsa.js';
import { presentedChains, recordRole, rolloverOf } from './rollover.js';
import type { RecordRole } from './rollover.js';
import { applicability } from './rules/applicability.js';
import type { DaneFacts, DaneHost } from './collect.js';

/** `result.dane` (--checks dane): each mail host's _25._tcp TLSA records, and with --checks smtp whether they match. */
export interface DaneSection {
  hosts: {
    /** The exchange (or the domain, as implicit MX). */
    exchange: string;
    tlsaName: string;
    /** The DNSSEC state of the TLSA answer. */
    state: DnssecState;
    records: {
      usage: number;
      /** RFC 7218 name (DANE-EE …); null for an undefined usage. */
      usageName: string | null;
      selector: number;
      matchingType: number;
      /** The association data, hex. */
      data: string;
      /** SMTP senders use it (usage 2 or 3, defined selector and matching type, right digest length). */
      usable: boolean;
      /**
       * With --checks smtp, a usable record to the chains presented: current (matches one), next-key (a
       * DANE-EE record matching none: published ahead), other-issuer (a DANE-TA record for a CA that
       * issued none); null when unusable or no chain was seen.
       */
      role: RecordRole | null;
    }[];
    /** With --checks smtp and a matching record: the rollover scheme, current+next, current+issuer, or null (none); absent otherwise. */
    rollover?: 'current+next' | 'current+issuer' | null;
    /** With --cert (for the hosts it is for): whether a usable record matches the certificate to be installed, and which. */
    newCertificate?: { matched: boolean; by?: string };
    /** true: senders use these records; false: there are none, or a link of the chain is not authenticated; null: cannot be told. */
    daneApplies: boolean | null;
    /** One entry per probed address (matched null: no usable record, or no TLS); null when the SMTP probe did not run. */
    certificateMatches: { address: string; matched: boolean | null; by?: string }[] | null;
  }[];
}

/** Whether the certificate to be installed would match the host's usable records; undefined when there is none, or it is for other hosts. */
function newCertificateSection(facts: DaneFacts, host: DaneHost, usable: DaneHost['records']): DaneSection['hosts'][number]['newCertificate'] {
  const certificate = facts.newCertificate;
  if (certificate === null || usable.length === 0) return undefined;
  const forSomeHost = facts.hosts.some((h) => certificate.x509.checkHost(h.name) !== undefined);
  const namesHost = certificate.x509.checkHost(host.name) !== undefined;
  if (forSomeHost && !namesHost) return undefined;
  const match = matchTlsa(usable, certificate.chain, namesHost);
  return match.matched ? { matched: true, by: match.by } : { matched: false };
}

function hostSection(facts: DaneFacts, host: DaneHost): DaneSection['hosts'][number] {
  const usable = host.records.filter((r) => unusableReason(r) === null);
  const verdict = applicability(facts, host);
  const chains = presentedChains(host);
  const rollover = rolloverOf(host.records, chains);
  const newCertificate = newCertificateSection(facts, host, usable);
  return {
    exchange: host.name,
    tlsaName: host.tlsaName,
    state: host.tlsa.state,
    records: host.records.map((r) => ({
      usage: r.usage, usageName: USAGE_NAMES[r.usage] ?? null, selector: r.selector, matchingType: r.matchingType,
      data: Buffer.from(r.certificate).toString('hex'), usable: unusableReason(r) === null,
      role: unusableReason(r) === null && chains.length > 0 ? recordRole(r, chains) : null,
    })),
    ...(rollover === null ? {} : { rollover: rollover.scheme }),
    ...(newCertificate === undefined ? {} : { newCertificate }),
    daneApplies: host.records.length === 0 ? false : verdict.applies === 'unknown' ? null : verdict.applies,
    certificateMatches: host.probes === null ? null : host.probes.flatMap((probe) => {
      if (probe.state !== 'probed') return [];
      const tls = probe.session.tls;
      const match = tls && usable.length > 0 ? matchTlsa(usable, tls.chain, tls.name.matches) : null;
      return [{ address: probe.address, matched: match ? match.matched : null, ...(match?.matched ? { by: match.by } : {}) }];
    }),
  };
}

export function daneSection(facts: DaneFacts): DaneSection {
  return { hosts: facts.hosts.map((host) => hostSection(facts, host)) };
}

import type { DnssecState } from '../../facts/dnssec-validation.js';
import { matchTlsa, unusableReason, USAGE_NAMES } from './tlsa.js';
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
    }[];
    /** true: senders use these records; false: there are none, or a link of the chain is not authenticated; null: cannot be told. */
    daneApplies: boolean | null;
    /** One entry per probed address (matched null: no usable record, or no TLS); null when the SMTP probe did not run. */
    certificateMatches: { address: string; matched: boolean | null; by?: string }[] | null;
  }[];
}

function hostSection(facts: DaneFacts, host: DaneHost): DaneSection['hosts'][number] {
  const usable = host.records.filter((r) => unusableReason(r) === null);
  const verdict = applicability(facts, host);
  return {
    exchange: host.name,
    tlsaName: host.tlsaName,
    state: host.tlsa.state,
    records: host.records.map((r) => ({
      usage: r.usage, usageName: USAGE_NAMES[r.usage] ?? null, selector: r.selector, matchingType: r.matchingType,
      data: Buffer.from(r.certificate).toString('hex'), usable: unusableReason(r) === null,
    })),
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

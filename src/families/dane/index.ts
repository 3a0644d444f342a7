import { defineFamily } from '../../core/family.js';
import { collectDaneFacts } from './collect.js';
import type { DaneFacts, DaneHost } from './collect.js';
import { matchTlsa, unusableReason, USAGE_NAMES } from './tlsa.js';
import { daneNotValidated, daneTlsaBogus, daneTlsaInsecure, daneTlsaMismatch, daneTlsaUnusable } from './rules/tlsa.js';
import { applicability } from './rules/applicability.js';
import type { DaneSection } from '../../engine/result.js';

export const daneRules = [daneTlsaBogus, daneTlsaMismatch, daneTlsaInsecure, daneTlsaUnusable, daneNotValidated];

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

/** DANE (`--checks dane`, RFC 7672): each exchange's _25._tcp TLSA records, authenticated, and matched when smtp runs too. */
export const daneFamily = defineFamily<DaneFacts>({
  name: 'dane',
  collect: collectDaneFacts,
  rules: daneRules,
  section: (facts): DaneSection => ({ hosts: facts.hosts.map((host) => hostSection(facts, host)) }),
});

import type { PublishedState } from '../../facts/txt-record.js';
import { appliedPolicy } from './record.js';
import { dmarcName } from './collect.js';
import type { DmarcFacts } from './collect.js';

/** `result.dmarc` (--checks dmarc): the record that applies to the domain, as receivers find it. */
export interface DmarcSection {
  /**
   * found: one record applies; multiple: several were found, so none applies; none: no record;
   * failed: a lookup failed; skipped: the domain does not exist.
   */
  state: PublishedState;
  /** The _dmarc name the records are at (found, multiple). */
  name?: string;
  /** Found at the organizational domain, not the domain itself. */
  inherited?: boolean;
  records?: string[];
  /** The policy receivers apply to this domain (sp for an inheriting subdomain); null when they discard the record. */
  policy?: 'none' | 'quarantine' | 'reject' | null;
  pct?: number;
  rua?: string[];
  ruf?: string[];
}

export function dmarcSection(facts: DmarcFacts): DmarcSection {
  const { discovery } = facts;
  if (discovery.state !== 'found') return { state: discovery.state };
  const base = { name: dmarcName(discovery.source), inherited: discovery.inherited, records: discovery.records.map((r) => r.text) };
  if (discovery.records.length > 1) return { state: 'multiple', ...base };
  const record = discovery.records[0]!.parsed;
  return { state: 'found', ...base, policy: appliedPolicy(record, discovery.inherited), pct: record.pct, rua: record.rua.map((u) => u.uri), ruf: record.ruf.map((u) => u.uri) };
}

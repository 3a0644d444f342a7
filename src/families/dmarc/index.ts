import { collectDmarcFacts, dmarcName } from './collect.js';
import type { DmarcFacts } from './collect.js';
import { dmarcRules } from './rules.js';
import { appliedPolicy } from './record.js';
import type { DmarcSection } from '../../engine/result.js';
import { defineFamily } from '../../core/family.js';

function dmarcSection(facts: DmarcFacts): DmarcSection {
  const { discovery } = facts;
  if (discovery.state !== 'found') return { state: discovery.state };
  const base = { name: dmarcName(discovery.source), inherited: discovery.inherited, records: discovery.records.map((r) => r.text) };
  if (discovery.records.length > 1) return { state: 'multiple', ...base };
  const record = discovery.records[0]!.parsed;
  return { state: 'found', ...base, policy: appliedPolicy(record, discovery.inherited), pct: record.pct, rua: record.rua.map((u) => u.uri), ruf: record.ruf.map((u) => u.uri) };
}

/** DMARC (RFC 7489): the _dmarc record of the domain or of its organizational domain. */
export const dmarcFamily = defineFamily({
  name: 'dmarc',
  collect: ({ lookups, mail }) => collectDmarcFacts(lookups, mail),
  rules: dmarcRules,
  section: dmarcSection,
});

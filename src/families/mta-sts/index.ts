import { collectMtaStsFacts, DEFAULT_HTTPS_TIMEOUT_MS, policyUrl } from './collect.js';
import type { MtaStsFacts } from './collect.js';
import { publishedSection } from '../../facts/txt-record.js';
import { mtaStsRules } from './rules.js';
import type { MtaStsSection } from '../../engine/result.js';
import { defineFamily } from '../../core/family.js';
import { connectPolicy } from '../../net/route.js';

function mtaStsSection(facts: MtaStsFacts): MtaStsSection {
  const { fetch } = facts;
  const section: MtaStsSection = publishedSection(facts.published, (record) => ({ id: record.id }));
  if (fetch === null) return section;
  const policy: NonNullable<MtaStsSection['policy']> = { url: policyUrl(facts.domain), fetch: fetch.state };
  if (fetch.state === 'fetched') {
    Object.assign(policy, { address: fetch.address, ...(fetch.connectedTo ? { connectedTo: fetch.connectedTo } : {}), contentType: fetch.contentType, mode: fetch.policy.mode, maxAge: fetch.policy.maxAge, mx: fetch.policy.mx });
  }
  return { ...section, policy };
}

/**
 * MTA-STS (RFC 8461): the _mta-sts record, and the policy fetched over HTTPS from mta-sts.DOMAIN —
 * a connection beyond DNS, so this family runs only when asked for (--checks mta-sts).
 */
export const mtaStsFamily = defineFamily({
  name: 'mta-sts',
  collect: ({ lookups, mail, options }) => collectMtaStsFacts(lookups, mail, {
    connect: connectPolicy(options),
    ca: options.ca ?? [],
    timeoutMs: options.httpsTimeoutMs ?? DEFAULT_HTTPS_TIMEOUT_MS,
  }),
  rules: mtaStsRules,
  section: mtaStsSection,
});

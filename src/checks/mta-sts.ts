import { collectMtaStsFacts, DEFAULT_HTTPS_TIMEOUT_MS, policyUrl } from '../facts/mta-sts.js';
import type { MtaStsFacts } from '../facts/mta-sts.js';
import { publishedState } from '../facts/txt-record.js';
import { mtaStsRules } from '../rules/mta-sts/index.js';
import type { MtaStsSection } from '../result.js';
import { defineFamily } from './family.js';

function mtaStsSection(facts: MtaStsFacts): MtaStsSection {
  const { published, fetch } = facts;
  const state = publishedState(published);
  if (!published || published.records.length === 0) return { state };
  const single = published.records.length === 1 ? published.records[0]!.parsed : null;
  const section: MtaStsSection = { state, records: published.records.map((r) => r.text), ...(single ? { id: single.id } : {}) };
  if (fetch === null) return section;
  const policy: NonNullable<MtaStsSection['policy']> = { url: policyUrl(facts.domain), fetch: fetch.state };
  if (fetch.state === 'fetched') {
    Object.assign(policy, { address: fetch.address, contentType: fetch.contentType, mode: fetch.policy.mode, maxAge: fetch.policy.maxAge, mx: fetch.policy.mx });
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
    allowPrivate: options.allowPrivate ?? false,
    ca: options.ca ?? [],
    timeoutMs: options.httpsTimeoutMs ?? DEFAULT_HTTPS_TIMEOUT_MS,
  }),
  rules: mtaStsRules,
  section: mtaStsSection,
});

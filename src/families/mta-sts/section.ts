import type { PublishedState } from '../../facts/txt-record.js';
import { publishedSection } from '../../facts/txt-record.js';
import { policyUrl } from './collect.js';
import type { MtaStsFacts } from './collect.js';

/** `result["mta-sts"]` (--checks mta-sts): the _mta-sts record and the policy fetched over HTTPS. */
export interface MtaStsSection {
  /** `skipped`: the domain does not exist or takes no mail (null MX). */
  state: PublishedState;
  records?: string[];
  /** The id of the single record, when valid. */
  id?: string | null;
  /** Present when there is a record: the fetch of https://mta-sts.DOMAIN/.well-known/mta-sts.txt. */
  policy?: {
    url: string;
    /** fetched; failed (the server's fault); unreachable (network); not-public (not contacted); no-address; lookup-failed. */
    fetch: 'fetched' | 'failed' | 'unreachable' | 'not-public' | 'no-address' | 'lookup-failed';
    /** The address (from DNS) the policy came from. */
    address?: string;
    /** Where --connect-to sent that connection, as HOST:PORT; absent when it went to `address`. */
    connectedTo?: string;
    contentType?: string | null;
    mode?: 'enforce' | 'testing' | 'none' | null;
    maxAge?: number | null;
    mx?: string[];
  };
}

export function mtaStsSection(facts: MtaStsFacts): MtaStsSection {
  const { fetch } = facts;
  const section: MtaStsSection = publishedSection(facts.published, (record) => ({ id: record.id }));
  if (fetch === null) return section;
  const policy: NonNullable<MtaStsSection['policy']> = { url: policyUrl(facts.domain), fetch: fetch.state };
  if (fetch.state === 'fetched') {
    Object.assign(policy, { address: fetch.address, ...(fetch.connectedTo ? { connectedTo: fetch.connectedTo } : {}), contentType: fetch.contentType, mode: fetch.policy.mode, maxAge: fetch.policy.maxAge, mx: fetch.policy.mx });
  }
  return { ...section, policy };
}

/**
 * A domain that is slow but valid (issue 12, item 3): every reply correct, each arriving just under
 * the per-try timeout, behind long chains that make a check ask one question after another — the MX
 * behind 8 CNAMEs, the exchange behind 8 more, an SPF include chain 45 deep. Without a deadline one
 * check of it takes the delay some 60 times over; served by the in-process server:
 *
 *   const server = await startLocalDnsServer({ records: slowWorldRecords(), behave: slowWorldBehaviour(450) });
 *   await checkDomain(SLOW_DOMAIN, { servers: [server.address], timeoutMs: 500, deadlineMs: 2000 });
 */
import { MAX_CNAME_CHAIN } from '../../src/facts/chain.js';
import type { DnsRecord } from '../../src/dns/records.js';
import type { Behaviour, IncomingQuery } from '../../src/dns/local-server/server.js';
import { zoneRecords } from './zone-source.js';

export const SLOW_ZONE = 'slow.test';
/** The domain to check: an alias, the first of the MX chain. */
export const SLOW_DOMAIN = `d.${SLOW_ZONE}`;
/** Aliases on the way to the MX records, and again to the exchange's addresses: as many as mxlint follows. */
export const SLOW_CNAME_HOPS = MAX_CNAME_CHAIN;
/** SPF records in the include chain, each including the next. */
export const SLOW_SPF_INCLUDES = 45;

/** `start` CNAME `prefix`1, `prefix`1 CNAME `prefix`2 … up to `prefix`8: SLOW_CNAME_HOPS aliases. */
function aliasChain(start: string, prefix: string): string[] {
  const names = [start, ...Array.from({ length: SLOW_CNAME_HOPS }, (_, i) => `${prefix}${i + 1}`)];
  return names.slice(1).map((target, i) => `${names[i]!.padEnd(8)} CNAME ${target}`);
}

/** The zone: d → m1 … m8 (MX, SPF, DMARC), x → e1 … e8 (A, AAAA), i1 … i45 (SPF includes). */
export function slowWorldRecords(): DnsRecord[] {
  const last = SLOW_CNAME_HOPS;
  const includes = Array.from({ length: SLOW_SPF_INCLUDES }, (_, i) => (i + 1 < SLOW_SPF_INCLUDES
    ? `i${i + 1}       TXT   "v=spf1 include:i${i + 2}.${SLOW_ZONE} -all"`
    : `i${i + 1}       TXT   "v=spf1 ip4:185.199.108.25 -all"`));
  const text = [
    `$ORIGIN ${SLOW_ZONE}.`,
    '$TTL 300',
    '@        SOA   ns1 hostmaster 1 3600 600 86400 300',
    '@        NS    ns1',
    'ns1      A     192.0.2.53',
    ...aliasChain('d', 'm'),
    `m${last}       MX    10 x.${SLOW_ZONE}.`,
    `m${last}       TXT   "v=spf1 include:i1.${SLOW_ZONE} -all"`,
    `_dmarc.d TXT   "v=DMARC1; p=reject"`,
    `_dmarc.m${last} TXT "v=DMARC1; p=reject"`,
    ...aliasChain('x', 'e'),
    `e${last}       A     185.199.108.25`,
    `e${last}       AAAA  2a01:4f8:c0c:1::25`,
    ...includes,
  ].join('\n');
  return zoneRecords(text);
}

/**
 * Every reply correct but `delayMs` late, and an alias chain given one hop at a time (as a server
 * that does not chase aliases out of the answer would), so each hop is a question of its own. With
 * `silentAttempts`, the first that many attempts of each question get no reply at all.
 */
export function slowWorldBehaviour(delayMs: number, silentAttempts = 0): (query: IncomingQuery) => Behaviour {
  return (query) => (query.attempt <= silentAttempts ? { kind: 'silence' } : {
    kind: 'delay',
    ms: delayMs,
    then: {
      kind: 'answer',
      edit: (reply) => {
        const first = reply.answers?.[0];
        if (first?.type === 'CNAME') reply.answers = [first];
      },
    },
  });
}

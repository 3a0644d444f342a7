import type { RelayFacts } from './collect.js';
import { relayVerdict } from './verdict.js';

/** `result.relay` (--checks relay): what each exchange address answered to MAIL FROM:<> and RCPT TO the test address. */
export interface RelaySection {
  /** The recipient asked for. */
  testAddress: string;
  probes: {
    exchange: string;
    address: string;
    family: 4 | 6;
    /** open: the recipient was accepted; refused; inconclusive: the answer does not tell; not-tested: the probe did not get to RCPT TO. */
    verdict: 'open' | 'refused' | 'inconclusive' | 'not-tested';
    /** Why inconclusive or not tested. */
    reason?: 'domain-unknown' | 'temporary' | 'sender-refused' | 'own-domain' | 'skipped' | 'failed';
    /** The replies, as "code text"; null when not reached. */
    mailFrom: string | null;
    rcptTo: string | null;
  }[];
}

export function relaySection(facts: RelayFacts): RelaySection {
  return {
    testAddress: facts.testAddress,
    probes: facts.probes.map((probe) => {
      const verdict = relayVerdict(probe, facts.ownDomain);
      const envelope = probe.state === 'probed' ? probe.session.envelope : null;
      const reply = (r: { code: number; lines: string[] } | null | undefined): string | null => (r ? `${r.code} ${r.lines.join('\n')}` : null);
      return {
        exchange: probe.exchange, address: probe.address, family: probe.family, verdict: verdict.verdict,
        ...('why' in verdict ? { reason: verdict.why } : {}),
        mailFrom: reply(envelope?.mailFrom), rcptTo: reply(envelope?.rcptTo),
      };
    }),
  };
}

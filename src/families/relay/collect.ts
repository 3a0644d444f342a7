import type { CheckContext } from '../../facts/context.js';
import { parseDomainInput, isSubdomainOf } from '../../dns/name.js';
import { organizationalDomain } from '../../facts/organizational-domain.js';
import { connectivityOf, probeAddress, probeTargets } from '../../facts/smtp-probes.js';
import type { SmtpFacts } from '../../facts/smtp-probes.js';
import { smtpSettings } from '../../facts/smtp-settings.js';

/**
 * The relay test's recipient when none is given. `.invalid` is reserved (RFC 2606 §2, RFC 6761 §6.4):
 * no one can own it and no mail can ever be delivered there, so even an open relay that went on
 * could not put a message in anyone's mailbox, and the servers tested are certainly not responsible
 * for it. Its cost: a server that checks the recipient's domain first refuses it as unknown before
 * deciding about relaying, and the test is then inconclusive (give a real address instead).
 */
export const DEFAULT_RELAY_TEST_ADDRESS = 'relay-test@mxlint.invalid';

/** The relay test's reverse path: the null sender of bounces (RFC 5321 §4.5.5), so nothing can come back to anyone. */
export const NULL_SENDER = '';

export interface RelayFacts extends SmtpFacts {
  domain: string;
  /** The recipient asked for, its domain in A-label form. */
  testAddress: string;
  /** The test address is in the checked domain's own organization: its servers may well be responsible for it. */
  ownDomain: boolean;
}

/** The address with its domain canonical (A-labels, lower case), as it goes on the wire. */
function canonicalAddress(address: string): { address: string; domain: string } {
  const at = address.lastIndexOf('@');
  const parsed = parseDomainInput(address.slice(at + 1));
  const domain = parsed.valid ? parsed.name : address.slice(at + 1).toLowerCase();
  return { address: `${address.slice(0, at)}@${domain}`, domain };
}

function sameOrganization(a: string, b: string): boolean {
  if (isSubdomainOf(a, b) || isSubdomainOf(b, a)) return true;
  const organization = organizationalDomain(a);
  return organization !== null && organization === organizationalDomain(b);
}

/**
 * Every exchange address asked to take a message from the null sender for a recipient elsewhere:
 * MAIL FROM:<>, RCPT TO:<test address>, QUIT. Never DATA. A probe of its own (not the smtp family's),
 * through the run's prober: per-host limits and the run's cache apply.
 */
export async function collectRelayFacts(context: CheckContext): Promise<RelayFacts> {
  const settings = smtpSettings(context.options);
  const { address: testAddress, domain: testDomain } = canonicalAddress(context.options.relayTestAddress ?? DEFAULT_RELAY_TEST_ADDRESS);
  const checkedAt = Date.now();
  const { targets, unresolved } = probeTargets(context.mail);
  const way = { settings, prober: context.prober, signal: context.signal, envelope: { mailFrom: NULL_SENDER, rcptTo: testAddress } };
  const probes = await Promise.all(targets.map((target) => probeAddress(context.lookups, target, way)));
  return {
    domain: context.domain, testAddress, ownDomain: sameOrganization(testDomain, context.domain),
    port: settings.port, connectivity: connectivityOf(context.prober, settings.port), checkedAt, probes, unresolved,
  };
}

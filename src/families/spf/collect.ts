import type { LookupSource } from '../../dns/lookup.js';
import type { MailFacts } from '../../facts/mail.js';
import { takesNoMail } from '../../facts/mail-domain.js';
import { collectSpfPolicy } from '../../facts/spf/policy.js';
import type { SpfPolicy } from '../../facts/spf/policy.js';
import { evaluateUnlistedClients } from './unlisted-clients.js';
import type { ClientEvaluation } from './unlisted-clients.js';

/** What the spf rules judge: the domain's policy tree, how it evaluates for clients it does not list, and whether the domain takes mail at all. */
export interface SpfFacts {
  domain: string;
  /** The domain publishes a null MX (RFC 7505): it takes no mail, and likely sends none. */
  nullMx: boolean;
  policy: SpfPolicy;
  /** check_host() for an IPv4 and an IPv6 client the record does not list; none when the domain has no single record that reads. */
  evaluations: ClientEvaluation[];
}

export async function collectSpfFacts(source: LookupSource, domain: string, mail: MailFacts): Promise<SpfFacts> {
  const policy = await collectSpfPolicy(source, domain);
  // After the walk, so that the evaluations find its lookups in the cache.
  const evaluations = policy.parse?.ok === true ? await evaluateUnlistedClients(source, domain, policy) : [];
  return { domain, nullMx: takesNoMail(mail), policy, evaluations };
}

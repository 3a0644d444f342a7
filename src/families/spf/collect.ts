import type { LookupSource } from '../../dns/lookup.js';
import type { MailFacts } from '../../facts/mail.js';
import { takesNoMail } from '../../facts/mail-domain.js';
import { collectSpfPolicy } from './policy.js';
import type { SpfPolicy } from './policy.js';

/** What the spf rules judge: the domain's policy tree, and whether the domain takes mail at all. */
export interface SpfFacts {
  domain: string;
  /** The domain publishes a null MX (RFC 7505): it takes no mail, and likely sends none. */
  nullMx: boolean;
  policy: SpfPolicy;
}

export async function collectSpfFacts(source: LookupSource, domain: string, mail: MailFacts): Promise<SpfFacts> {
  return { domain, nullMx: takesNoMail(mail), policy: await collectSpfPolicy(source, domain) };
}

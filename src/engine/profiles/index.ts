import type { Rule } from '../../core/rule.js';
import type { ProfileName, RuleLevel } from '../../core/settings.js';
import type { LookupSource } from '../../dns/lookup.js';
import type { CheckFamily, FamilySections } from '../../families/index.js';
import { ptrSection } from '../../families/ptr/section.js';
import { collectReverseNameFacts, collectWildcardKey } from './facts.js';
import type { ProfileFacts } from './facts.js';
import { reverseLookupFailed, reversePtrMismatch, reversePtrMissing, reverseRules } from './reverse.js';
import { parkedDkim, parkedDmarc, parkedMx, parkedSpf, sendingOnlyNullMx, sendingOnlyUnroutable } from './rules.js';

/**
 * Profiles: what a domain is for, and so how it is judged (docs/profiles.md). A profile says which
 * check families mean something for such a domain, which it needs whatever `checks` says (its own
 * rules read them), the levels it gives the families' rules (below any level the user sets: `off`
 * for what does not apply), and the rules it adds.
 */
export interface Profile {
  name: ProfileName;
  /** What such a domain is, in one line (docs, --help). */
  summary: string;
  /** The families that run when asked for: `all`, or only these. */
  families: 'all' | readonly CheckFamily[];
  /** Families that run whatever `checks` says. */
  needs: readonly CheckFamily[];
  levels: Readonly<Record<string, RuleLevel>>;
  rules: readonly Rule<ProfileFacts>[];
  /** What the profile looks up itself, beside the families (the reverse profile: the name's PTR records). */
  collect?: (lookups: LookupSource, domain: string) => Promise<Pick<ProfileFacts, 'reverse' | 'wildcardKey'>>;
  /** The result sections it shows what it looked up in. */
  sections?: (facts: ProfileFacts) => Partial<FamilySections>;
}

/** What a domain that takes no mail does not need: the MX rules about where its mail goes. */
const NO_MAILBOXES: Readonly<Record<string, RuleLevel>> = {
  'mx-missing': 'off', 'mx-implicit': 'off', 'mx-single': 'off', 'mx-no-ipv6': 'off',
};

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  receiving: {
    name: 'receiving',
    summary: 'it has mailboxes: mail to it must arrive (every family applies)',
    families: 'all',
    needs: [],
    levels: {},
    rules: [],
  },
  'sending-only': {
    name: 'sending-only',
    summary: 'it sends mail (From, MAIL FROM) but has no mailboxes: SPF and DMARC are errors when missing, a null MX is wrong',
    // What senders are judged by: DKIM keys, the reverse DNS and block-list entries of the sending hosts (--sending-host), BIMI.
    families: ['mx', 'spf', 'dmarc', 'dkim', 'dnssec', 'ptr', 'dnsbl', 'bimi', 'takeover'],
    needs: [],
    levels: { ...NO_MAILBOXES, 'null-mx': 'off', 'spf-null-mx-authorizes': 'off', 'spf-missing': 'error', 'dmarc-missing': 'error' },
    rules: [sendingOnlyNullMx, sendingOnlyUnroutable],
  },
  parked: {
    name: 'parked',
    summary: 'it sends and receives nothing: a null MX, "v=spf1 -all", DMARC p=reject and an empty DKIM key at the wildcard selector, each missing piece an error',
    families: ['mx', 'spf', 'dmarc', 'dnssec', 'takeover'],
    needs: ['mx', 'spf', 'dmarc'],
    levels: {
      ...NO_MAILBOXES, 'null-mx': 'off', 'spf-missing': 'off', 'spf-permissive-all': 'off', 'spf-null-mx-authorizes': 'off',
      'dmarc-missing': 'off', 'dmarc-policy-none': 'off',
    },
    rules: [parkedMx, parkedSpf, parkedDmarc, parkedDkim],
    collect: async (lookups, domain) => ({ wildcardKey: await collectWildcardKey(lookups, domain) }),
  },
  reverse: {
    name: 'reverse',
    summary: 'a name under in-addr.arpa or ip6.arpa: its PTR records and their forward confirmation, no mail-domain rule',
    families: [],
    needs: [],
    levels: {},
    rules: reverseRules,
    collect: async (lookups, domain) => ({ reverse: await collectReverseNameFacts(lookups, domain) }),
    sections: ({ reverse }) => (reverse?.entry ? { ptr: ptrSection({ hosts: 'reverse', entries: [reverse.entry], sendingHosts: [] }) } : {}),
  },
};

/** The rules the profiles add, for the catalog. */
export const profileRuleCatalog = [
  parkedMx.meta, parkedSpf.meta, parkedDmarc.meta, parkedDkim.meta, sendingOnlyNullMx.meta, sendingOnlyUnroutable.meta,
  reversePtrMissing.meta, reversePtrMismatch.meta, reverseLookupFailed.meta,
] as const;

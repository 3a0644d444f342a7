import type { Finding } from '../../engine/result.js';
import type { MailFacts } from '../../facts/mail.js';
import type { Rule, RuleMeta } from '../../core/rule.js';
import { compareFindings } from '../../core/rule.js';
import { dnsLookupFailed, domainNxdomain, mailDomainAlias, mxImplicit, mxMissing } from './rules/domain.js';
import { nullMx, nullMxMixed, nullMxPreference } from './rules/null-mx.js';
import { mxTargetCname, mxTargetDuplicate, mxTargetIpLiteral, mxTargetMissingDot, mxTargetSyntax } from './rules/exchange-name.js';
import { mxNoIpv6, mxSingle, mxTargetIpv6Only, mxTargetNoAddress, mxTargetPrivateAddress } from './rules/exchange-address.js';

/** Reported before any lookup, for input that is not a domain name; no facts exist to judge. */
export const domainInvalid: RuleMeta = {
  id: 'domain-invalid', family: 'mx', severity: 'unknown', rfc: 'RFC 1035 §2.3.1, RFC 5890',
  summary: 'the input is not a valid domain name (URL, port, address, bad label); nothing is sent',
  fix: 'give a bare domain name such as example.com',
};

export const mxRules: readonly Rule<MailFacts>[] = [
  domainNxdomain, mailDomainAlias, mxMissing, mxImplicit, nullMx, nullMxMixed, nullMxPreference,
  mxTargetIpLiteral, mxTargetCname, mxTargetNoAddress, mxTargetPrivateAddress, mxTargetIpv6Only,
  mxTargetDuplicate, mxTargetMissingDot, mxTargetSyntax, mxSingle, mxNoIpv6, dnsLookupFailed,
];

export function runMxRules(facts: MailFacts): Finding[] {
  return mxRules.flatMap((rule) => rule.check(facts)).sort(compareFindings);
}

export type { Rule, RuleMeta, CheckFamily, RuleFamily } from '../../core/rule.js';

import { defineMeta } from '../../../core/rule.js';
import { dnsLookupFailed, domainNxdomain, mailDomainAlias, mxImplicit, mxMissing } from './domain.js';
import { nullMx, nullMxMixed, nullMxPreference } from './null-mx.js';
import { mxTargetCname, mxTargetDuplicate, mxTargetIpLiteral, mxTargetMissingDot, mxTargetSyntax } from './exchange-name.js';
import { mxNoIpv6, mxSingle, mxTargetIpv6Only, mxTargetNoAddress, mxTargetPrivateAddress } from './exchange-address.js';

/** Reported before any lookup, for input that is not a domain name; no facts exist to judge. */
export const domainInvalid = defineMeta({
  id: 'domain-invalid', family: 'mx', severity: 'unknown', rfc: 'RFC 1035 §2.3.1, RFC 5890',
  summary: 'the input is not a valid domain name (URL, port, address, bad label); nothing is sent',
  fix: 'give a bare domain name such as example.com',
  messages: { notADomain: '"{{input}}" is not a domain name: {{reason}}. Nothing was looked up.' },
});

export const mxRules = [
  domainNxdomain, mailDomainAlias, mxMissing, mxImplicit, nullMx, nullMxMixed, nullMxPreference,
  mxTargetIpLiteral, mxTargetCname, mxTargetNoAddress, mxTargetPrivateAddress, mxTargetIpv6Only,
  mxTargetDuplicate, mxTargetMissingDot, mxTargetSyntax, mxSingle, mxNoIpv6, dnsLookupFailed,
];

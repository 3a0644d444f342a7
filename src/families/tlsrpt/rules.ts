import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import { knownAbsent, multipleRecordsRule, recordSyntaxRule } from '../common/published-record.js';
import type { TlsRptFacts } from './collect.js';

/** Rules about the TLS-RPT record (RFC 8460): where senders report failed TLS to the domain's servers. */

export const tlsRptMissing = defineRule({
  id: 'tlsrpt-missing', family: 'tlsrpt', severity: 'info', rfc: 'RFC 8460 §3',
  summary: 'no TLS-RPT record at _smtp._tls.DOMAIN: senders cannot report TLS failures (MTA-STS, DANE, STARTTLS) to the domain',
  fix: 'publish _smtp._tls.DOMAIN TXT "v=TLSRPTv1; rua=mailto:tls-reports@DOMAIN"',
  messages: {
    missing: {
      message: '{{domain}} has no TLS-RPT record (no "v=TLSRPTv1" TXT at {{name}}): senders whose TLS to its mail servers fails — an expired certificate, a broken MTA-STS policy or DANE record — have nowhere to report it, so nobody hears until mail is refused.',
      fix: 'publish "{{name}}. TXT \\"v=TLSRPTv1; rua=mailto:tls-reports@{{domain}}\\""',
    },
  },
}, (facts: TlsRptFacts, report) => {
  const { published } = facts;
  if (!knownAbsent(published)) return [];
  return [report('missing', { domain: facts.domain, name: published.name })];
});

export const tlsRptMultiple = multipleRecordsRule({
  id: 'tlsrpt-multiple', family: 'tlsrpt', severity: 'error', rfc: 'RFC 8460 §3',
  summary: 'more than one TLS-RPT record at _smtp._tls.DOMAIN: senders use none of them',
  fix: 'merge them into a single v=TLSRPTv1 TXT record with every rua URI, comma-separated',
}, { kind: 'TLS-RPT', readers: 'senders' }, (facts: TlsRptFacts) => facts.published);

export const tlsRptSyntax = recordSyntaxRule({
  id: 'tlsrpt-syntax', family: 'tlsrpt', severity: 'error', rfc: 'RFC 8460 §3',
  summary: 'the TLS-RPT record is malformed: not starting with v=TLSRPTv1, rua missing, or a rua URI that is not mailto: or https:',
  fix: 'write it as v=TLSRPTv1; rua=mailto:tls-reports@DOMAIN (or an https: URI)',
}, 'TLS-RPT', (facts: TlsRptFacts) => facts.published);

export const tlsRptLookupFailed = lookupFailedRule({ id: 'tlsrpt-lookup-failed', family: 'tlsrpt', subject: 'TLS-RPT' },
  (facts: TlsRptFacts) => (facts.published?.txt.state === 'failed' ? [failedLookup(facts.published.txt.failure)] : []));

export const tlsRptRules = [tlsRptMissing, tlsRptMultiple, tlsRptSyntax, tlsRptLookupFailed];

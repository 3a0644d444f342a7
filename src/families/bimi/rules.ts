import { defineRule } from '../../core/rule.js';
import { describeRange } from '../../net/address.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import { multipleRecordsRule } from '../common/published-record.js';
import { singleRecord } from './collect.js';
import type { BimiFacts, EvidenceFetch, FetchOf, IndicatorFetch } from './collect.js';
import { dmarcEnforcement } from './dmarc-enforcement.js';
import { coversDomain, logoMatches, validity } from './evidence.js';
import { bimiName } from './record.js';
import { MAX_INDICATOR_SVG_BYTES } from './svg.js';

/**
 * Rules about BIMI (draft-brand-indicators-for-message-identification): the assertion record, the
 * logo it names (SVG Tiny PS), the evidence document (a Mark Certificate) and the DMARC enforcement
 * BIMI requires. Receivers that find any of them wanting show no logo.
 */

const BIMI = 'draft-brand-indicators-for-message-identification';
const SVG_TINY_PS = 'draft-svg-tiny-ps-abrotman §2';
const VMC = 'draft-fetch-validation-vmc-wchuang';

function found(facts: BimiFacts): { name: string; source: string; text: string } | null {
  const { discovery } = facts;
  return discovery.state === 'found' && discovery.records.length === 1 ? { name: discovery.name, source: discovery.source, text: discovery.records[0]!.text } : null;
}

export const bimiMissing = defineRule({
  id: 'bimi-missing', family: 'bimi', severity: 'info', rfc: `${BIMI} §4.3`,
  summary: 'no BIMI record at SELECTOR._bimi.DOMAIN nor at its organizational domain: receivers show no brand logo',
  fix: 'publish default._bimi.DOMAIN TXT "v=BIMI1; l=https://…/logo.svg; a=https://…/vmc.pem" once DMARC enforces',
  messages: {
    missing: {
      message: '{{domain}} has no BIMI record (no "v=BIMI1" TXT at {{where}}): receivers that support BIMI show no logo beside its mail.',
      fix: 'once DMARC enforces, publish "{{name}}. TXT \\"v=BIMI1; l=https://{{domain}}/bimi/logo.svg\\"" with an SVG Tiny PS logo at that URL',
    },
  },
}, (facts: BimiFacts, report) => {
  const { discovery } = facts;
  if (discovery.state !== 'none') return [];
  return [report('missing', { domain: facts.domain, where: discovery.asked.join(' nor at '), name: bimiName(facts.selector, facts.domain) })];
});

export const bimiMultiple = multipleRecordsRule({
  id: 'bimi-multiple', family: 'bimi', severity: 'error', rfc: `${BIMI} §7.2`,
  summary: 'more than one BIMI record at the same SELECTOR._bimi name: receivers use none of them',
  fix: 'keep a single v=BIMI1 TXT record',
}, { kind: 'BIMI', readers: 'receivers' }, ({ discovery }: BimiFacts) => (discovery.state === 'found' ? discovery : null));

export const bimiRecordSyntax = defineRule({
  id: 'bimi-record-syntax', family: 'bimi', severity: 'error', rfc: `${BIMI} §4.3`,
  severities: {
    error: 'not v=BIMI1 first, l= missing, l= or a= not a single https: URL with a host name, an image format other than SVG, a malformed tag list: receivers discard the record or fail it',
    warning: 'an lps= or avp= value receivers ignore, which some may take for a failing record',
  },
  summary: 'the BIMI record is malformed: receivers discard it or fail its evaluation, and show no logo',
  fix: 'write it as v=BIMI1; l=https://HOST/logo.svg; a=https://HOST/vmc.pem (tag names lower case, one URL each)',
  messages: {
    discarded: 'The BIMI record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers discard a record that does not start with v=BIMI1, and show no logo.',
    failed: 'The BIMI record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers fail its evaluation and show no logo.',
    ignored: 'The BIMI record at {{name}} ("{{record}}") has values receivers ignore: {{problems}}; some may treat the record as failing.',
  },
}, (facts: BimiFacts, report) => {
  const record = singleRecord(facts.discovery);
  const at = found(facts);
  if (record === null || at === null) return [];
  const data = { name: at.name, record: at.text };
  return [
    ...(record.problems.length > 0 ? [report(record.discarded ? 'discarded' : 'failed', { ...data, problems: record.problems.join('; ') })] : []),
    ...(record.ignored.length > 0 ? [report('ignored', { ...data, problems: record.ignored.join('; ') }, { severity: 'warning' })] : []),
  ];
});

export const bimiDeclined = defineRule({
  id: 'bimi-declined', family: 'bimi', severity: 'info', rfc: `${BIMI} §4.3.1`,
  summary: 'the BIMI record declines to show a logo (l= and a= both empty)',
  fix: 'name the logo in l= (and the evidence in a=) when one should be shown',
  messages: {
    declined: 'The BIMI record at {{name}} declines BIMI (l= and a= are empty): receivers show no logo for mail from {{domain}} with this selector.',
  },
}, (facts: BimiFacts, report) => {
  const record = singleRecord(facts.discovery);
  const at = found(facts);
  return record?.declined && !record.discarded && at ? [report('declined', { name: at.name, domain: facts.domain })] : [];
});

export const bimiNoEvidence = defineRule({
  id: 'bimi-no-evidence', family: 'bimi', severity: 'info', rfc: `${BIMI} §7.3`,
  summary: 'the BIMI record names a logo but no evidence document (a=): the largest mailbox providers show no logo without a Mark Certificate',
  fix: 'obtain a Verified or Common Mark Certificate for the logo and name its PEM chain in a=',
  messages: {
    noEvidence: 'The BIMI record at {{name}} names no evidence document (a= is empty or missing): Gmail and Apple Mail show a logo only with a Verified or Common Mark Certificate; other receivers may show it without.',
  },
}, (facts: BimiFacts, report) => {
  const record = singleRecord(facts.discovery);
  const at = found(facts);
  if (!record || !at || record.discarded || record.location === null || record.evidenceNamed) return [];
  return [report('noEvidence', { name: at.name })];
});

export const bimiDmarcNotEnforced = defineRule({
  id: 'bimi-dmarc-not-enforced', family: 'bimi', severity: 'error', rfc: `${BIMI} §7.1`,
  summary: 'DMARC does not enforce as BIMI requires (p=quarantine at 100% or p=reject at the domain and its organizational domain, no sp=none, no t=y): receivers show no logo',
  fix: 'publish p=quarantine (without pct below 100) or p=reject, without sp=none or t=y, at _dmarc.DOMAIN and at the organizational domain',
  messages: {
    notEnforced: 'BIMI needs DMARC enforcement for {{domain}}, but {{reasons}}: receivers perform no BIMI processing for its mail.',
  },
}, (facts: BimiFacts, report) => {
  if (facts.dmarc === null) return [];
  const verdict = dmarcEnforcement(facts.dmarc);
  return verdict.state === 'not-enforced' ? [report('notEnforced', { domain: facts.domain, reasons: verdict.reasons.join('; ') })] : [];
});

/** The logo and evidence fetches, each with what it is called. */
function fetches(facts: BimiFacts): { what: string; fetch: FetchOf<unknown> }[] {
  return [
    ...(facts.indicator ? [{ what: 'logo', fetch: facts.indicator }] : []),
    ...(facts.evidence ? [{ what: 'evidence document', fetch: facts.evidence }] : []),
  ];
}

const NO_LOGO = 'Receivers show no logo.';

export const bimiFetchFailed = defineRule({
  id: 'bimi-fetch-failed', family: 'bimi', severity: 'error', rfc: `${BIMI} §7.5`,
  summary: 'the logo (l=) or the evidence document (a=) cannot be fetched: no address, a certificate receivers reject, no TLS or HTTP, a redirect, a status other than 200, or too large',
  fix: 'serve the file at its https: URL with status 200, no redirect and a certificate valid for its host',
  messages: {
    failed: `The BIMI {{what}} of {{domain}} cannot be fetched from {{url}}: {{reason}}. ${NO_LOGO}`,
    noAddress: {
      message: `The BIMI {{what}} of {{domain}} cannot be fetched from {{url}}: {{host}} has no A or AAAA record. ${NO_LOGO}`,
      fix: 'publish the web server\'s A (and AAAA) record for {{host}}, or name a URL on a host that has one',
    },
    notTls: {
      message: `The BIMI {{what}} of {{domain}} cannot be fetched from {{url}}: {{where}} does not answer in TLS ({{reason}}), as when plain HTTP or another service listens there. ${NO_LOGO}`,
      fix: 'serve HTTPS at {{url}}, with a certificate valid for {{host}}',
    },
    notHttp: {
      message: `The BIMI {{what}} of {{domain}} cannot be fetched from {{url}}: what {{where}} answers over TLS is not HTTP ({{reason}}). ${NO_LOGO}`,
      fix: 'make the web server of {{host}} answer well-formed HTTP/1.1 over TLS, with the file at {{url}} and status 200',
    },
  },
}, (facts: BimiFacts, report) => fetches(facts).flatMap(({ what, fetch }) => {
  const data = { what, domain: facts.domain, url: fetch.url, host: fetch.host };
  const place = { target: fetch.url };
  if (fetch.state === 'no-address') return [report('noAddress', data, place)];
  if (fetch.state !== 'failed') return [];
  if (fetch.problem === 'answer') return [report('failed', { ...data, reason: fetch.reason }, place)];
  return [report(fetch.problem === 'not-tls' ? 'notTls' : 'notHttp', { ...data, reason: fetch.reason, where: fetch.where }, place)];
}));

export const bimiFetchUnreachable = defineRule({
  id: 'bimi-fetch-unreachable', family: 'bimi', severity: 'unknown', rfc: `${BIMI} §7.5`,
  summary: 'the logo or the evidence document could not be fetched for network reasons, or its host has only non-public addresses and --allow-private was not given',
  fix: 'retry from a network that reaches the web server; if it persists, make the URL reachable',
  messages: {
    unreachable: 'The BIMI {{what}} of {{domain}} could not be fetched from {{url}}: {{reason}}. Whether receivers can fetch it is unknown.',
    notPublic: {
      message: 'The BIMI {{what}} of {{domain}} was not fetched from {{url}}: {{host}} has only addresses that are not globally routable ({{addresses}}), which no receiver on the Internet can reach, and mxlint does not connect to them unless --allow-private is given.',
      fix: 'publish the web server\'s public address for {{host}}',
    },
  },
}, (facts: BimiFacts, report) => fetches(facts).flatMap(({ what, fetch }) => {
  const place = { target: fetch.url };
  if (fetch.state === 'unreachable') return [report('unreachable', { what, domain: facts.domain, url: fetch.url, reason: fetch.reason }, place)];
  if (fetch.state !== 'not-public') return [];
  const addresses = fetch.addresses.map((a) => `${a.address} (${describeRange(a.range)})`).join(', ');
  return [report('notPublic', { what, domain: facts.domain, url: fetch.url, host: fetch.host, addresses }, place)];
}));

type Fetched<F> = Extract<F, { state: 'fetched' }>;

function fetchedIndicator(facts: BimiFacts): Fetched<IndicatorFetch> | null {
  return facts.indicator?.state === 'fetched' ? facts.indicator : null;
}

function fetchedEvidence(facts: BimiFacts): Fetched<EvidenceFetch> | null {
  return facts.evidence?.state === 'fetched' ? facts.evidence : null;
}

export const bimiIndicatorInvalid = defineRule({
  id: 'bimi-indicator-invalid', family: 'bimi', severity: 'error', rfc: SVG_TINY_PS,
  summary: 'the logo is not an SVG Tiny PS document: not well-formed XML or SVG, baseProfile not tiny-ps or version not 1.2, no <title>, x= or y= on the root, a script, animation, event handler, hyperlink, image, foreign object or reference outside the document',
  fix: 'export the logo as SVG Tiny 1.2 Portable/Secure (baseProfile="tiny-ps" version="1.2", a <title>, only shapes, text and gradients)',
  messages: {
    invalid: 'The BIMI logo at {{url}} is not SVG Tiny PS: {{problems}}; receivers do not show it.',
    embeddedInvalid: 'The logo embedded in the Mark Certificate at {{url}} is not SVG Tiny PS: {{problems}}; receivers do not show it.',
  },
}, (facts: BimiFacts, report) => {
  const indicator = fetchedIndicator(facts);
  if (indicator !== null) {
    const { problems } = indicator.reading;
    return problems.length === 0 ? [] : [report('invalid', { url: indicator.url, problems: problems.join('; ') }, { target: indicator.url })];
  }
  // Without l=, the logo is the one the Mark Certificate carries.
  const evidence = fetchedEvidence(facts);
  const logo = evidence?.reading.logo;
  if (facts.indicator !== null || evidence === null || logo?.kind !== 'embedded' || logo.indicator.problems.length === 0) return [];
  return [report('embeddedInvalid', { url: evidence.url, problems: logo.indicator.problems.join('; ') }, { target: evidence.url })];
});

export const bimiIndicatorSize = defineRule({
  id: 'bimi-indicator-size', family: 'bimi', severity: 'warning', rfc: SVG_TINY_PS,
  summary: `the logo is larger than the ${MAX_INDICATOR_SVG_BYTES / 1024} KiB the SVG Tiny PS profile recommends: receivers may refuse it`,
  fix: `simplify the logo (fewer path points, no embedded metadata) to under ${MAX_INDICATOR_SVG_BYTES / 1024} KiB`,
  messages: {
    tooLarge: `The BIMI logo at {{url}} is {{size}} octets as served, more than the ${MAX_INDICATOR_SVG_BYTES / 1024} KiB the SVG Tiny PS profile recommends: receivers may refuse to show it.`,
  },
}, (facts: BimiFacts, report) => {
  const indicator = fetchedIndicator(facts);
  return indicator !== null && indicator.size > MAX_INDICATOR_SVG_BYTES ? [report('tooLarge', { url: indicator.url, size: indicator.size }, { target: indicator.url })] : [];
});

export const bimiEvidenceInvalid = defineRule({
  id: 'bimi-evidence-invalid', family: 'bimi', severity: 'error', rfc: `RFC 9399 §4.1, ${VMC} §3.3, §4`,
  summary: 'the evidence document is no usable Mark Certificate chain: no PEM certificate, none or several with the BIMI extended key usage, no logotype extension or one that does not parse, or a logotype hash that does not match its own logo',
  fix: 'publish the PEM chain the Mark Verifying Authority issued, the Mark Certificate first, then its issuers',
  messages: {
    invalid: 'The BIMI evidence document at {{url}} is no usable Mark Certificate: {{problems}}; receivers that require one show no logo.',
  },
}, (facts: BimiFacts, report) => {
  const evidence = fetchedEvidence(facts);
  if (evidence === null || evidence.reading.problems.length === 0) return [];
  return [report('invalid', { url: evidence.url, problems: evidence.reading.problems.join('; ') }, { target: evidence.url })];
});

export const bimiEvidenceUntrusted = defineRule({
  id: 'bimi-evidence-untrusted', family: 'bimi', severity: 'error', rfc: `RFC 5280 §6.1, ${VMC} §5.1`,
  summary: 'the Mark Certificate\'s chain does not verify against the trust anchors given with --ca: a missing or wrong issuer, a bad signature, an issuer that is not a CA or not valid now',
  fix: 'publish the whole chain the Mark Verifying Authority issued (Mark Certificate first, then its issuers), from an authority receivers trust',
  messages: {
    untrusted: 'The Mark Certificate at {{url}} ({{subject}}) does not verify against the trust anchors given: {{reason}}; receivers that trust only those show no logo.',
  },
}, (facts: BimiFacts, report) => {
  const evidence = fetchedEvidence(facts);
  const { mark, chain } = evidence?.reading ?? { mark: null, chain: null };
  if (evidence === null || mark === null || chain?.state !== 'failed') return [];
  return [report('untrusted', { url: evidence.url, subject: mark.subject, reason: chain.reason }, { target: evidence.url })];
});

export const bimiEvidenceNotVerified = defineRule({
  id: 'bimi-evidence-not-verified', family: 'bimi', severity: 'unknown', rfc: `RFC 5280 §6.1, ${VMC} §5.1`,
  summary: 'the Mark Certificate\'s chain was not verified: no trust anchors were given (--ca), and mxlint bundles none for Mark Certificates',
  fix: 'give the root certificates of the Mark Verifying Authorities to trust with --ca (library: ca)',
  messages: {
    notVerified: 'The chain of the Mark Certificate at {{url}} ({{subject}}, issued by {{issuer}}) was not verified: no trust anchors were given, so whether receivers trust it is unknown.',
  },
}, (facts: BimiFacts, report) => {
  const evidence = fetchedEvidence(facts);
  const mark = evidence?.reading.mark ?? null;
  if (evidence === null || mark === null || evidence.reading.chain.state !== 'no-anchors') return [];
  return [report('notVerified', { url: evidence.url, subject: mark.subject, issuer: mark.issuer }, { target: evidence.url })];
});

export const bimiEvidenceExpired = defineRule({
  id: 'bimi-evidence-expired', family: 'bimi', severity: 'error', rfc: `RFC 5280 §4.1.2.5, ${VMC} §5.1`,
  summary: 'the Mark Certificate has expired, or is not valid yet',
  fix: 'renew the Mark Certificate and publish the new chain at the a= URL',
  messages: {
    expired: 'The Mark Certificate at {{url}} ({{subject}}) expired on {{validTo}}: receivers show no logo.',
    notYetValid: 'The Mark Certificate at {{url}} ({{subject}}) is valid only from {{validFrom}}: receivers show no logo until then.',
  },
}, (facts: BimiFacts, report) => {
  const evidence = fetchedEvidence(facts);
  const mark = evidence?.reading.mark ?? null;
  if (evidence === null || mark === null) return [];
  const state = validity(mark, facts.now);
  if (state === 'valid') return [];
  const data = { url: evidence.url, subject: mark.subject };
  const place = { target: evidence.url };
  return [state === 'expired' ? report('expired', { ...data, validTo: mark.validTo }, place) : report('notYetValid', { ...data, validFrom: mark.validFrom }, place)];
});

export const bimiEvidenceNameMismatch = defineRule({
  id: 'bimi-evidence-name-mismatch', family: 'bimi', severity: 'error', rfc: `RFC 5280 §4.2.1.6, ${VMC} §5.2`,
  summary: 'the Mark Certificate\'s subjectAltName names neither the domain (or the organizational domain whose record applies) nor SELECTOR._bimi.DOMAIN',
  fix: 'use a Mark Certificate issued for the domain that publishes the BIMI record',
  messages: {
    mismatch: 'The Mark Certificate at {{url}} names {{names}}, not {{domains}}: receivers show no logo for {{domain}}.',
  },
}, (facts: BimiFacts, report) => {
  const evidence = fetchedEvidence(facts);
  const mark = evidence?.reading.mark ?? null;
  const at = found(facts);
  if (evidence === null || mark === null || at === null) return [];
  const domains = [...new Set([facts.domain, at.source])];
  if (coversDomain(mark, facts.selector, domains)) return [];
  const wanted = domains.flatMap((d) => [d, bimiName(facts.selector, d)]).join(' or ');
  return [report('mismatch', { url: evidence.url, names: mark.altNames.join(', ') || 'no DNS name', domains: wanted, domain: facts.domain }, { target: evidence.url })];
});

export const bimiEvidenceLogoMismatch = defineRule({
  id: 'bimi-evidence-logo-mismatch', family: 'bimi', severity: 'error', rfc: `RFC 9399 §4.1, ${VMC} §5.3`,
  summary: 'the logo at l= is not the logo the Mark Certificate carries (its embedded SVG, or the hash it gives)',
  fix: 'serve at l= exactly the SVG the Mark Certificate was issued for, or have a certificate issued for the new logo',
  messages: {
    differs: 'The BIMI logo at {{url}} differs from the logo embedded in the Mark Certificate at {{evidence}}: receivers that compare them show no logo.',
    hashDiffers: 'The BIMI logo at {{url}} does not have the hash the Mark Certificate at {{evidence}} gives for its logo ({{hashes}}): receivers that compare them show no logo.',
  },
}, (facts: BimiFacts, report) => {
  const indicator = fetchedIndicator(facts);
  const evidence = fetchedEvidence(facts);
  const logo = evidence?.reading.logo;
  if (indicator === null || evidence === null || !logo || indicator.reading.svg === null) return [];
  if (logoMatches(logo, indicator.reading.svg) !== false) return [];
  const data = { url: indicator.url, evidence: evidence.url };
  const place = { target: indicator.url };
  if (logo.kind === 'embedded') return [report('differs', data, place)];
  return [report('hashDiffers', { ...data, hashes: logo.hashes.map((h) => `${h.algorithm} ${h.value.toString('hex')}`).join(', ') }, place)];
});

export const bimiLookupFailed = lookupFailedRule({ id: 'bimi-lookup-failed', family: 'bimi', subject: 'BIMI' }, (facts: BimiFacts) => {
  const { discovery, dmarc } = facts;
  const hostFailures = [facts.indicator, facts.evidence].flatMap((fetch) => (fetch?.state === 'lookup-failed' ? fetch.failures : []));
  const dmarcFailures = dmarc === null ? [] : [dmarc.own, dmarc.organizational?.at].flatMap((at) => (at?.state === 'failed' ? [at.failure] : []));
  return [...(discovery.state === 'failed' ? [discovery.failure] : []), ...dmarcFailures, ...hostFailures].map((failure) => failedLookup(failure));
});

export const bimiRules = [
  bimiMissing, bimiMultiple, bimiRecordSyntax, bimiDeclined, bimiNoEvidence, bimiDmarcNotEnforced, bimiFetchFailed, bimiFetchUnreachable,
  bimiIndicatorInvalid, bimiIndicatorSize, bimiEvidenceInvalid, bimiEvidenceUntrusted, bimiEvidenceNotVerified, bimiEvidenceExpired,
  bimiEvidenceNameMismatch, bimiEvidenceLogoMismatch, bimiLookupFailed,
];

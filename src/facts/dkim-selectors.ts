import { canonicalName, hostnameProblem } from '../dns/name.js';

/**
 * Where DKIM keys are looked for: the selectors given (`--dkim-selector`, `dkimSelectors`), and with
 * `--dkim-discover` the ones the big mailbox and sending providers use by default. A selector is
 * chosen by whoever signs and appears only in the signatures they send, so no list finds every key
 * and a key not found under a common selector proves nothing.
 */

/** Selectors one check asks for at most (each is a lookup per domain): more is a list pasted by mistake. */
export const MAX_DKIM_SELECTORS = 50;

/** The common selectors `--dkim-discover` asks for, in this order, with whose default each is. */
export const DKIM_DISCOVERY_SELECTORS: readonly { selector: string; provider: string }[] = [
  { selector: 'google', provider: 'Google Workspace' },
  { selector: 'selector1', provider: 'Microsoft 365' },
  { selector: 'selector2', provider: 'Microsoft 365' },
  { selector: 'k1', provider: 'Mailchimp' },
  { selector: 'k2', provider: 'Mailchimp' },
  { selector: 'k3', provider: 'Mailchimp' },
  { selector: 'mandrill', provider: 'Mandrill' },
  { selector: 's1', provider: 'SendGrid' },
  { selector: 's2', provider: 'SendGrid' },
  { selector: 'smtp', provider: 'Mailgun' },
  { selector: 'mailo', provider: 'Mailgun' },
  { selector: 'mailjet', provider: 'Mailjet' },
  { selector: 'zoho', provider: 'Zoho Mail' },
  { selector: 'zmail', provider: 'Zoho Mail' },
  { selector: 'fm1', provider: 'Fastmail' },
  { selector: 'fm2', provider: 'Fastmail' },
  { selector: 'fm3', provider: 'Fastmail' },
  { selector: 'protonmail', provider: 'Proton Mail' },
  { selector: 'protonmail2', provider: 'Proton Mail' },
  { selector: 'protonmail3', provider: 'Proton Mail' },
  { selector: 'sig1', provider: 'iCloud+ with a custom domain' },
  { selector: 's1024', provider: 'Yahoo' },
  { selector: 's2048', provider: 'Yahoo' },
  { selector: 'zendesk1', provider: 'Zendesk' },
  { selector: 'zendesk2', provider: 'Zendesk' },
  { selector: 'brevo1', provider: 'Brevo' },
  { selector: 'brevo2', provider: 'Brevo' },
  { selector: 'mail', provider: 'Sendinblue, now Brevo, and self-hosted servers' },
  { selector: 'default', provider: 'cPanel, Plesk, opendkim-genkey' },
  { selector: 'dkim', provider: 'rspamd' },
];

/**
 * Why `text` is not a DKIM selector (RFC 6376 §3.1: one or more labels of letters, digits and
 * interior hyphens), or null when it is one; `text` is compared in canonical form.
 */
export function selectorProblem(text: string): string | null {
  const selector = canonicalName(text);
  if (/(^|\.)_domainkey(\.|$)/.test(selector)) return `"${text}" is a DNS name; give the selector alone (the s= of a DKIM-Signature, e.g. ${selector.split('.')[0] || 'selector1'})`;
  const problem = hostnameProblem(selector);
  return problem === null ? null : `"${text}" is not a DKIM selector: ${problem}`;
}

/** `SELECTOR._domainkey.DOMAIN`, where a selector's key is published (RFC 6376 §3.6.2.1). */
export function selectorName(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain}`;
}

export function domainkeyName(domain: string): string {
  return `_domainkey.${domain}`;
}

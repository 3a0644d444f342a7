import { defineRule } from '../../core/rule.js';
import type { Confirmation } from '../../facts/registration.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import type { FailedLookup } from '../common/lookup-failed.js';
import type { TakeoverFacts } from './collect.js';
import { describePath } from './dependencies.js';
import type { Dependency, DependencyRole } from './dependencies.js';

/** Rules about names anyone may be able to take: the registrable domains a mail setup depends on, and aliases into other organizations' names. */

/** Ways to one domain a finding names before it says how many more there are. */
export const MAX_PATHS_SHOWN = 3;

/** What whoever holds a name of each role can then do to `domain`. */
const CONSEQUENCES: Record<DependencyRole, (domain: string) => string> = {
  'mail': (domain) => `receive mail for ${domain}`,
  'spf': (domain) => `send mail that passes ${domain}'s SPF check`,
  'dmarc-policy': (domain) => `set the DMARC policy receivers apply to ${domain}`,
  'dmarc-reports': (domain) => `read ${domain}'s DMARC reports`,
  'dkim-key': (domain) => `publish the DKIM key verifiers use for ${domain}'s signatures, and sign mail as ${domain}`,
  'mta-sts-policy': (domain) => `serve ${domain}'s MTA-STS policy`,
  'tls-reports': (domain) => `read ${domain}'s TLS reports`,
  'name-server': (domain) => `answer for ${domain}'s zone, every record of it`,
};

/** "a, b and c". */
function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

function consequences(roles: readonly DependencyRole[], domain: string): string {
  return andList([...new Set(roles)].map((role) => CONSEQUENCES[role](domain)));
}

function paths(dependents: readonly Dependency[]): string {
  const all = [...new Set(dependents.map((d) => describePath(d.path)))];
  const shown = all.slice(0, MAX_PATHS_SHOWN).join('; ');
  return all.length > MAX_PATHS_SHOWN ? `${shown}; and ${all.length - MAX_PATHS_SHOWN} more` : shown;
}

function zoneName(zone: string | null): string {
  return zone === null ? 'the parent zone' : zone === '.' ? 'the root zone' : `the parent zone ${zone}`;
}

/** Who said the domain does not exist, as the finding says it. */
export function describeConfirmation(confirmation: Confirmation): string {
  return confirmation.by === 'parent'
    ? `NXDOMAIN from ${confirmation.server}, a server of ${zoneName(confirmation.zone)}`
    : `NXDOMAIN from the resolver; the servers of ${zoneName(confirmation.zone)} gave no answer to go by: ${confirmation.why}`;
}

export const takeoverUnregisteredDomain = defineRule({
  id: 'takeover-unregistered-domain', family: 'takeover', severity: 'error', rfc: 'RFC 8020 §2',
  summary: 'a domain the mail setup depends on (an MX host, an SPF include, a DMARC report address, a name server …) does not exist: anyone may be able to register it and take that part over',
  fix: 'remove or replace every record that names the domain, or register it yourself',
  messages: {
    unregistered: {
      message: '{{registrable}} does not exist ({{confirmation}}), yet {{domain}} depends on it: {{paths}}. Anyone may be able to register {{registrable}} and then {{consequences}}.',
      fix: 'remove or replace the records that name {{registrable}}, or register it yourself',
    },
  },
}, (facts: TakeoverFacts, report) => facts.domains.flatMap(({ domain: registrable, registration, dependents }) => (registration.state === 'unregistered'
  ? [report('unregistered', {
    registrable, confirmation: describeConfirmation(registration.confirmation), domain: facts.domain, paths: paths(dependents),
    consequences: consequences(dependents.map((d) => d.role), facts.domain),
  }, { target: registrable })]
  : [])));

export const takeoverDanglingAlias = defineRule({
  id: 'takeover-dangling-alias', family: 'takeover', severity: 'warning', rfc: 'RFC 1034 §3.6.2',
  summary: "an alias (CNAME) in the mail setup points at a name that does not exist under another organization's domain: whoever can create that name there takes that part over",
  fix: 'remove the alias, or point it at a name that exists',
  messages: {
    dangling: {
      message: "{{alias}} is an alias of {{target}}, which does not exist, under {{registrable}}, another organization's domain: {{path}}. Whoever can create {{target}} there (hosting and cloud services often let any customer claim a name) could then {{consequences}}.",
      fix: 'remove the alias {{alias}}, or point it at a name that exists',
    },
  },
}, (facts: TakeoverFacts, report) => facts.dangling.map(({ alias, target, registrable, role, path }) => report('dangling', {
  alias, target, registrable, path: describePath(path), consequences: consequences([role], facts.domain),
}, { target })));

/** The record lookups that failed and no other family of the check reports, as one: each is about a part of the same setup. */
function recordFailures(facts: TakeoverFacts): FailedLookup[] {
  // Left unasked on purpose (--zone --offline): zone-external-not-checked says so.
  const failures = facts.unreported.filter((f) => f.kind !== 'not-asked');
  return failures.length === 0 ? [] : [{ message: failures.map((f) => f.message).join('; ') }];
}

export const takeoverLookupFailed = lookupFailedRule({
  id: 'takeover-lookup-failed', family: 'takeover', subject: 'whether the domains the mail setup depends on exist',
  consequence: 'Whether anyone could take over what depends on it is not known',
}, (facts: TakeoverFacts) => [
  ...recordFailures(facts),
  ...facts.domains.flatMap(({ domain, registration }) => (registration.state === 'failed' ? [failedLookup(registration.failure, domain)] : [])),
]);

export const takeoverRules = [takeoverUnregisteredDomain, takeoverDanglingAlias, takeoverLookupFailed];

import type { SectionLine } from '../../core/family.js';
import { DNSSEC_STATE, line } from '../common/text.js';
import { formatTlsa } from './tlsa.js';
import type { DaneSection } from './section.js';

function daneLine(host: DaneSection['hosts'][number]): SectionLine {
  if (host.state === 'failed' || host.state === 'bogus') return line('DANE', `${host.exchange}: TLSA answer ${DNSSEC_STATE[host.state]}`, host.tlsaName);
  if (host.records.length === 0) return line('DANE', `${host.exchange}: no TLSA records`, host.tlsaName);
  const records = host.records.map((r) => `${formatTlsa(r.usage, r.selector, r.matchingType, r.data)}${r.usable ? '' : ' (unusable)'}`).join(', ');
  const applies = host.daneApplies === true ? 'authenticated' : host.daneApplies === false ? '✗ not authenticated: senders ignore them' : '? authentication not known';
  const parts = [`${host.exchange}: TLSA ${records}, ${applies}`];
  const matches = host.certificateMatches;
  if (matches === null) parts.push('certificates not compared (with --checks smtp they are)');
  else {
    const at = (matched: boolean | null) => matches.filter((m) => m.matched === matched);
    const matched = at(true);
    if (matched.length > 0) parts.push(`✓ matched by ${matched[0]!.by ?? 'a record'} at ${matched.map((m) => m.address).join(', ')}`);
    if (at(false).length > 0) parts.push(`✗ no match at ${at(false).map((m) => m.address).join(', ')}`);
  }
  if (host.rollover !== undefined) parts.push(host.rollover === null ? 'no rollover scheme' : `rollover ${host.rollover}`);
  if (host.newCertificate) parts.push(host.newCertificate.matched ? `✓ new certificate matched by ${host.newCertificate.by ?? 'a record'}` : '✗ new certificate matches no record');
  return line('DANE', parts.join('; '), host.tlsaName);
}

export function daneLines(dane: DaneSection): SectionLine[] {
  return dane.hosts.map(daneLine);
}

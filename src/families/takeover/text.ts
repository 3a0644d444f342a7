import type { SectionLine } from '../../core/family.js';
import { line, list } from '../common/text.js';
import type { TakeoverDomainEntry, TakeoverSection } from './section.js';

const LABEL = 'TAKEOVER';

function domainLine(entry: TakeoverDomainEntry): SectionLine | null {
  switch (entry.state) {
    case 'registered': return null;
    case 'unregistered':
      return line(LABEL, `✗ ${entry.domain} does not exist: ${list(entry.dependents.map((d) => d.name))}`,
        entry.confirmedBy === 'resolver' ? 'NXDOMAIN from the resolver' : `NXDOMAIN from ${entry.confirmedBy}`);
    case 'no-suffix': return line(LABEL, `${entry.domain}: its public suffix does not exist, so nobody can register it`);
    case 'failed': return line(LABEL, `? ${entry.domain}: lookup failed`);
    case 'not-asked': return line(LABEL, `? ${entry.domain}: not looked up (--offline)`);
  }
}

export function takeoverLines(takeover: TakeoverSection): SectionLine[] {
  if (takeover.state === 'skipped') return [];
  const registered = takeover.domains.filter((d) => d.state === 'registered').map((d) => d.domain);
  const lines = [
    ...(registered.length > 0 ? [line(LABEL, `✓ registered: ${list(registered)}`)] : []),
    ...takeover.domains.flatMap((entry) => domainLine(entry) ?? []),
    ...(takeover.danglingAliases ?? []).map((a) => line(LABEL, `✗ ${a.alias} → ${a.target}, which does not exist`)),
    ...(takeover.notChecked === undefined ? [] : [line(LABEL, `? not checked (past the limit of one check): ${list(takeover.notChecked)}`)]),
    ...(takeover.unread === undefined ? [] : [line(LABEL, `? records not read: ${list(takeover.unread)}`)]),
  ];
  return lines.length > 0 ? lines : [line(LABEL, 'depends on no other domain')];
}

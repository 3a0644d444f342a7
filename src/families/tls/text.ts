import type { SectionLine } from '../../core/family.js';
import { line, list } from '../common/text.js';
import { LEVELS } from './profiles.js';
import type { Level } from './profiles.js';
import { VERSION_NAMES } from './rules.js';
import type { TlsAddressSection, TlsCertificateSection, TlsSection } from './section.js';

const LEVEL_TEXT: Record<Level, string> = { good: '✓ good', sufficient: '✓ sufficient', 'phase-out': 'phase out', insufficient: '✗ insufficient' };

function key(certificate: TlsCertificateSection): string {
  if (certificate.keyType === 'ec') return `EC ${certificate.curve ?? '?'}`;
  return certificate.keyBits === null ? certificate.keyType : `${certificate.keyType.toUpperCase()} ${certificate.keyBits}`;
}

/** "12 good, 3 phase out" for the accepted items of a list. */
function levelCounts(items: readonly { state: string; level?: Level }[]): string {
  const accepted = items.filter((item) => item.state === 'accepted');
  return LEVELS.flatMap((level) => {
    const count = accepted.filter((item) => item.level === level).length;
    return count > 0 ? [`${count} ${LEVEL_TEXT[level].replace(/^[✓✗] /, '')}`] : [];
  }).join(', ');
}

function scannedLine(address: Extract<TlsAddressSection, { scanned: true }>, profile: string): string {
  if (address.starttls === false) return '✗ no STARTTLS: no TLS to grade';
  if (address.starttls === null) return `? not scanned: ${address.incomplete ?? 'no connection'}`;
  const parts = [address.grade === null ? '✗ no TLS version accepted' : `${LEVEL_TEXT[address.grade]} (${profile})`];
  const versions = address.versions.filter((v) => v.state === 'accepted');
  if (versions.length > 0) parts.push(versions.map((v) => `${VERSION_NAMES[v.version]}${v.level === 'good' || v.level === 'sufficient' ? '' : ` ${LEVEL_TEXT[v.level!]}`}`).join(', '));
  const suites = new Set(address.suites.filter((s) => s.state === 'accepted').map((s) => s.suite));
  if (suites.size > 0) parts.push(`${suites.size} cipher suites: ${levelCounts(address.suites)}`);
  if (address.order) parts.push(`server order: ${address.order.enforced === null ? '?' : address.order.enforced ? 'yes' : 'no'}`);
  const groups = address.groups.filter((g) => g.state === 'accepted').map((g) => g.group);
  if (groups.length > 0) parts.push(`groups ${list([...new Set(groups)])}`);
  for (const chain of address.chains) {
    const leaf = chain.certificates[0];
    if (!leaf) continue;
    const state = chain.daneEe ? 'DANE-EE: names, dates and chain informational' : chain.complete ? 'chain complete' : '✗ chain incomplete';
    parts.push(`certificate ${key(leaf)} ${leaf.signatureAlgorithm}, ${state}`);
  }
  if (address.ocspStapled !== null) parts.push(address.ocspStapled ? 'OCSP stapled' : 'no OCSP staple');
  if (address.incomplete) parts.push(`? scan incomplete: ${address.incomplete}`);
  parts.push(`${address.handshakes} handshakes`);
  return parts.join('; ');
}

function addressLine(address: TlsAddressSection, profile: string): SectionLine {
  const head = `${address.exchange} ${address.address}:`;
  if (!address.scanned) return line('TLS', `${head} ? not scanned: ${address.skipped}`);
  return line('TLS', `${head} ${scannedLine(address, profile)}`, address.connectedTo ? `connected to ${address.connectedTo}` : undefined);
}

export function tlsLines(section: TlsSection): SectionLine[] {
  return section.addresses.map((address) => addressLine(address, section.profile));
}

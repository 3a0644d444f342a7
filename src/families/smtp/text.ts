import type { SectionLine } from '../../core/family.js';
import { line, list } from '../common/text.js';
import type { EhloSection, SmtpProbeSection, SmtpSection } from './section.js';

/** The extensions of an EHLO reply that decide what a sender may send, as "SIZE 10240000, 8BITMIME, SMTPUTF8". */
function transportExtensions(ehlo: EhloSection): string {
  const offered = [
    ...(ehlo.keywords.includes('SIZE') ? [ehlo.size ? `SIZE ${ehlo.size}` : 'SIZE unlimited'] : []),
    ...(['PIPELINING', '8BITMIME', 'SMTPUTF8', 'CHUNKING', 'REQUIRETLS'] as const).filter((keyword) => ehlo.keywords.includes(keyword)),
  ];
  return offered.length > 0 ? offered.join(' ') : 'none';
}

/** A failure that leaves the server's state unknown (see smtp-not-probed) is marked "?", one that is the server's "✗". */
function failureMark(failure: NonNullable<Extract<SmtpProbeSection, { probed: true }>['failure']>, connectivity: SmtpSection['connectivity'], family: 4 | 6): string {
  const unknown = ['busy', 'cancelled', 'budget', 'no-route'].includes(failure.kind) || (failure.kind === 'timeout' && failure.phase === 'banner')
    || (failure.kind === 'timeout' && failure.phase === 'connect' && !(family === 6 ? connectivity.ipv6 : connectivity.ipv4).connected);
  return unknown ? '?' : '✗';
}

function smtpLine(probe: SmtpProbeSection, connectivity: SmtpSection['connectivity']): SectionLine {
  const head = `${probe.exchange} ${probe.address}:`;
  if (!probe.probed) return line('SMTP', `${head} ? not probed: ${probe.skipped}`);
  const parts: string[] = [];
  // The greeting's code and host name, without the server's advertising.
  if (probe.banner !== null) parts.push(probe.banner.split('\n')[0]!.split(' ').slice(0, 2).join(' '));
  if (probe.ehlo) parts.push(probe.ehlo.starttls ? 'STARTTLS' : '✗ no STARTTLS');
  if (probe.tls) {
    const leaf = probe.tls.chain[0];
    parts.push(`${probe.tls.protocol} ${probe.tls.cipher}`);
    parts.push(`certificate ${probe.tls.certificateValid ? '✓ valid' : `✗ invalid (${probe.tls.certificateError ?? 'not verified'})`}`);
    parts.push(probe.tls.nameMatches ? `✓ for ${probe.exchange}` : `✗ not for ${probe.exchange} (${list(leaf?.altNames ?? [])})`);
    if (leaf) parts.push(`expires ${leaf.validTo.slice(0, 10)}`);
  }
  const offered = probe.ehloAfterTls ?? probe.ehlo;
  if (offered) parts.push(`extensions${probe.ehloAfterTls ? ' over TLS' : ''}: ${transportExtensions(offered)}`);
  if (probe.failure) parts.push(`${failureMark(probe.failure, connectivity, probe.connectedTo === undefined ? probe.family : probe.connectedTo.startsWith('[') ? 6 : 4)} ${probe.failure.phase}: ${probe.failure.message}`);
  return line('SMTP', `${head} ${parts.join(', ')}`, probe.connectedTo ? `connected to ${probe.connectedTo}` : undefined);
}

export function smtpLines(smtp: SmtpSection): SectionLine[] {
  return smtp.probes.map((probe) => smtpLine(probe, smtp.connectivity));
}

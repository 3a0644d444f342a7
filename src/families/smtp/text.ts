import type { SectionLine } from '../../core/family.js';
import { line, list } from '../common/text.js';
import type { SmtpProbeSection, SmtpSection } from './section.js';

function smtpLine(probe: SmtpProbeSection): SectionLine {
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
  if (probe.failure) parts.push(`✗ ${probe.failure.phase}: ${probe.failure.message}`);
  return line('SMTP', `${head} ${parts.join(', ')}`, probe.connectedTo ? `connected to ${probe.connectedTo}` : undefined);
}

export function smtpLines(smtp: SmtpSection): SectionLine[] {
  return smtp.probes.map(smtpLine);
}

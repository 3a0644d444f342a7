import type { SectionLine } from '../../core/family.js';
import { line, recordState } from '../common/text.js';
import type { BimiSection } from './section.js';

type Fetch = NonNullable<BimiSection['logo']>['fetch'];

const NOT_FETCHED: Record<Exclude<Fetch, 'fetched'>, string> = {
  failed: '✗ not fetched: the server\'s answer is unusable',
  unreachable: '? not fetched: the server could not be reached',
  'not-public': '? not fetched: its host has no public address (not contacted without --allow-private)',
  'no-address': '✗ not fetched: its host has no address',
  'lookup-failed': '? not fetched: looking up its host failed',
};

const DMARC: Record<NonNullable<BimiSection['dmarc']>, string> = {
  enforced: 'DMARC enforces', 'not-enforced': '✗ DMARC does not enforce', failed: '? DMARC lookup failed',
};

const CHAIN: Record<NonNullable<NonNullable<BimiSection['evidence']>['chain']>, string> = {
  verified: 'chain verified', 'not-verified': '? chain not verified (no --ca)', failed: '✗ chain does not verify',
};

function via(part: { address?: string; connectedTo?: string }): string | undefined {
  if (part.address === undefined) return undefined;
  return `from ${part.address}${part.connectedTo ? `, connected to ${part.connectedTo}` : ''}`;
}

function logoLine(logo: NonNullable<BimiSection['logo']>): SectionLine {
  if (logo.fetch !== 'fetched') return line('BIMI logo', `${NOT_FETCHED[logo.fetch]}`, logo.url);
  const profile = logo.svgTinyPs ? 'SVG Tiny PS' : '✗ not SVG Tiny PS';
  const title = logo.title ? ` "${logo.title}"` : '';
  return line('BIMI logo', `${profile}${title}, ${logo.size ?? 0} octets${logo.compressed ? ' (SVGZ)' : ''}`, `${logo.url} ${via(logo) ?? ''}`.trim());
}

function evidenceLine(evidence: NonNullable<BimiSection['evidence']>): SectionLine {
  if (evidence.fetch !== 'fetched') return line('BIMI VMC', NOT_FETCHED[evidence.fetch], evidence.url);
  const { certificate } = evidence;
  if (!certificate) return line('BIMI VMC', '✗ no usable Mark Certificate', evidence.url);
  const dates = certificate.valid ? `valid until ${certificate.validTo.slice(0, 10)}` : `✗ not valid now (${certificate.validFrom.slice(0, 10)} to ${certificate.validTo.slice(0, 10)})`;
  const logo = evidence.logoMatches === false ? ', ✗ its logo differs from l=' : evidence.logoMatches ? ', logo matches l=' : '';
  return line('BIMI VMC', `${certificate.subject}, ${dates}, ${CHAIN[evidence.chain ?? 'not-verified']}${logo}`, evidence.url);
}

export function bimiLines(bimi: BimiSection): SectionLine[] {
  if (bimi.state === 'skipped') return [];
  const where = bimi.name === undefined ? undefined : bimi.inherited ? `inherited from ${bimi.name}` : bimi.name;
  const state = recordState(bimi.state, bimi.records);
  if (state !== null) return [line('BIMI', state, where ?? `selector ${bimi.selector}`)];
  if (bimi.declined) return [line('BIMI', 'declined (l= and a= empty): no logo', where)];
  const dmarc = bimi.dmarc === undefined ? '✗ the record is discarded or unusable' : DMARC[bimi.dmarc];
  return [
    line('BIMI', `${[bimi.logo ? 'logo' : null, bimi.evidence ? 'Mark Certificate' : null].filter((part) => part !== null).join(' and ') || 'nothing'} named; ${dmarc}`, where),
    ...(bimi.logo ? [logoLine(bimi.logo)] : []),
    ...(bimi.evidence ? [evidenceLine(bimi.evidence)] : []),
  ];
}

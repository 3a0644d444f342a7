import type { SectionLine } from '../../core/family.js';
import { line, recordState } from '../common/text.js';
import type { DmarcEffectivePolicy, DmarcSection, DmarcWalkStep } from './section.js';
import type { OrganizationalHow } from './walk.js';

const HOW: Record<OrganizationalHow, string> = {
  'psd-n': 'its record says psd=n',
  'below-psd-y': 'one label below a psd=y record',
  'highest-record': 'the highest record',
  'no-record': 'no record found',
};

/** What applies to subdomains, said against the domain's own policy: "quarantine (sp)", "none (np) from _dmarc.example.com". */
function brief(policy: DmarcEffectivePolicy, own: DmarcEffectivePolicy): string {
  switch (policy.state) {
    case 'unknown': return '?';
    case 'none': return 'no policy';
    case 'discarded': return `none (the record at ${policy.name} is discarded)`;
    case 'applied': {
      const detail = policy.testing ? `${policy.tag ?? 'p'}=${policy.declared} under t=y` : policy.tag === 'sp' || policy.tag === 'np' ? policy.tag : '';
      return `${policy.policy}${detail === '' ? '' : ` (${detail})`}${policy.name !== own.name ? ` from ${policy.name}` : ''}`;
    }
  }
}

function policyText(dmarc: DmarcSection): string {
  const reports = dmarc.rua && dmarc.rua.length > 0 ? `, rua ${dmarc.rua.join(', ')}` : ', no aggregate reports';
  if (dmarc.effectivePolicy === undefined) return `policy ${dmarc.policy}${reports}`;
  const { domain, subdomains, nonExistentSubdomains } = dmarc.effectivePolicy;
  const own = domain.testing ? `policy ${domain.policy} (${domain.tag ?? 'p'}=${domain.declared} under t=y)`
    : domain.tag === null ? `policy ${domain.policy} (no valid p tag: read as p=none)`
      : `policy ${domain.policy}${domain.tag === 'p' ? '' : ` (${domain.tag})`}`;
  const same = (policy: DmarcEffectivePolicy): boolean => policy.state === 'applied' && policy.policy === domain.policy && policy.name === domain.name && policy.testing === domain.testing;
  const sub = brief(subdomains, domain);
  const nx = brief(nonExistentSubdomains, domain);
  const below = same(subdomains) && same(nonExistentSubdomains) ? ', subdomains too'
    : sub === nx ? `, subdomains ${sub}` : `, subdomains ${sub}, non-existent subdomains ${nx}`;
  return `${own}${below}${reports}`;
}

function stepText({ name, result, psd }: DmarcWalkStep): string {
  const said = result === 'multiple' ? 'several records' : result === 'failed' ? '? lookup failed' : result === 'none' ? 'no record' : 'record';
  return `${name} (${said}${psd === undefined ? '' : `, psd=${psd}`})`;
}

function walkLines(dmarc: DmarcSection): SectionLine[] {
  if (dmarc.walk === undefined) return [];
  const org = dmarc.organizationalDomain;
  const found = org === undefined ? 'organizational domain ? (a lookup failed)' : `organizational domain ${org.name} (${HOW[org.how]})`;
  return [line('DMARC', `tree walk ${dmarc.walk.map(stepText).join(' → ')}; ${found}`)];
}

export function dmarcLines(dmarc: DmarcSection): SectionLine[] {
  if (dmarc.state === 'skipped') return [];
  const where = dmarc.name === undefined ? undefined : dmarc.inherited ? `inherited from ${dmarc.name}` : dmarc.name;
  const state = recordState(dmarc.state, dmarc.records);
  const walk = walkLines(dmarc);
  if (state !== null) return [line('DMARC', state, where), ...walk];
  if (dmarc.policy === null || dmarc.policy === undefined) return [line('DMARC', '✗ the record is discarded by receivers (malformed)', where), ...walk];
  return [line('DMARC', policyText(dmarc), where), ...walk];
}

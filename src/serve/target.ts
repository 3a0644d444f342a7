import { escapeUntrusted } from '../core/escape.js';
import { parseDomainInput } from '../dns/name.js';
import { isSubdomainOf } from '../dns/name.js';
import type { CheckFamily } from '../families/index.js';
import { MAX_TARGET_CHARS } from './limits.js';

/** Why a probe request is refused: the HTTP status and one line for the body. */
export interface Refusal {
  status: 400 | 403;
  reason: string;
}

export type ProbeRequest = { ok: true; domain: string; checks: CheckFamily[] } | { ok: false; refusal: Refusal };

/** The reason echoes what the request gave: escaped, it stays one line that cannot drive a terminal. */
function refuse(status: Refusal['status'], reason: string): ProbeRequest {
  return { ok: false, refusal: { status, reason: escapeUntrusted(reason) } };
}

/**
 * Reads `?target=DOMAIN[&checks=a,b]`. The target must be one bare domain name (no URL, port, IP
 * address or path: the exporter asks DNS about domains and nothing else), under an allowed suffix
 * when there is an allow list; the checks must be among those the exporter runs.
 */
export function readProbeRequest(params: URLSearchParams, allow: readonly string[], enabled: readonly CheckFamily[]): ProbeRequest {
  const targets = params.getAll('target');
  if (targets.length !== 1) return refuse(400, targets.length === 0 ? 'missing target: ask /probe?target=example.com' : 'give one target per probe');
  const target = targets[0]!;
  if (target.length > MAX_TARGET_CHARS) return refuse(400, `target is ${target.length} characters long; a domain name has at most 253`);
  const parsed = parseDomainInput(target);
  if (!parsed.valid) return refuse(400, `target "${target}" is not a domain name: ${parsed.reason}`);
  if (allow.length > 0 && !allow.some((suffix) => isSubdomainOf(parsed.name, suffix))) {
    return refuse(403, `target ${parsed.name} is not under an allowed suffix (${allow.join(', ')})`);
  }
  const asked = params.getAll('checks').flatMap((value) => value.split(',')).map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (asked.length === 0) return { ok: true, domain: parsed.name, checks: [...enabled] };
  const expanded = asked.includes('all') ? [...enabled] : asked;
  const unknown = expanded.filter((name) => !enabled.includes(name as CheckFamily));
  if (unknown.length > 0) return refuse(400, `checks ${unknown.join(', ')} not run by this exporter (it runs: ${enabled.join(', ')}; see serve --checks)`);
  return { ok: true, domain: parsed.name, checks: [...new Set(expanded as CheckFamily[])] };
}

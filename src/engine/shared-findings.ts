import type { Finding } from '../core/finding.js';
import { statusOf } from '../core/status.js';
import type { DomainResult, ReportedElsewhere } from './result.js';

/**
 * Shared findings remembered in one run, to report each once. Each is a key of a few hundred bytes;
 * past this many the oldest is forgotten, and a finding about it would be reported again.
 */
export const MAX_SHARED_FINDINGS_REMEMBERED = 100_000;

/**
 * One shared finding: the same rule about the same record or host, at the same target. Not the
 * message: the owner of a record says "p=none", the names below it "p=none, inherited from …".
 */
function sharedKey(finding: Finding): string | null {
  if (finding.shared === undefined) return null;
  return [finding.rule, finding.shared.name, finding.target ?? ''].join('\u0000');
}

/**
 * In a run over many names, a finding about what several of them share — the DMARC record the names
 * below it inherit, the exchange several domains use — is reported once: at the name that owns the
 * record (its own result always shows it), else at the first name of the run that meets it. The
 * names after list it under `reportedElsewhere`, with the name where it was reported, and their
 * status counts only what they still report. A name checked alone shows everything it inherits.
 *
 * Results keep the order they come in; the first in that order reports, so listing a parent before
 * its subdomains puts a shared finding at the parent.
 */
export async function* reportSharedOnce(results: AsyncIterable<DomainResult>): AsyncGenerator<DomainResult> {
  const fold = sharedFolder();
  for await (const result of results) yield fold(result);
}

/** reportSharedOnce one result at a time, for a run whose results are all at hand. */
export function sharedFolder(): (result: DomainResult) => DomainResult {
  const reportedAt = new Map<string, string>();
  return (result) => foldShared(result, reportedAt);
}

function foldShared(result: DomainResult, reportedAt: Map<string, string>): DomainResult {
  const here = result.domain ?? result.input;
  const kept: Finding[] = [];
  const elsewhere: ReportedElsewhere[] = [];
  for (const finding of result.findings) {
    const key = sharedKey(finding);
    const at = key === null ? undefined : reportedAt.get(key);
    if (key === null || finding.shared!.own || at === undefined || at === here) {
      if (key !== null && at === undefined) remember(reportedAt, key, here);
      kept.push(finding);
      continue;
    }
    elsewhere.push({
      rule: finding.rule, messageId: finding.messageId, severity: finding.severity, shared: finding.shared!.name,
      ...(finding.target === undefined ? {} : { target: finding.target }), reportedAt: at,
    });
  }
  if (elsewhere.length === 0) return result;
  return { ...result, status: statusOf(kept), findings: kept, reportedElsewhere: elsewhere };
}

function remember(reportedAt: Map<string, string>, key: string, name: string): void {
  if (reportedAt.size >= MAX_SHARED_FINDINGS_REMEMBERED) reportedAt.delete(reportedAt.keys().next().value!);
  reportedAt.set(key, name);
}

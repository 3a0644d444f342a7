import { counts } from './finding.js';
import type { Finding, Status } from './finding.js';

/**
 * fail if any error; else unknown if anything could not be checked; else warn if any warning; else
 * pass. Only findings that count do: suppressed ones, and those a baseline already had, do not.
 */
export function statusOf(findings: readonly Finding[]): Status {
  const counted = findings.filter(counts);
  if (counted.some((f) => f.severity === 'error')) return 'fail';
  if (counted.some((f) => f.severity === 'unknown')) return 'unknown';
  if (counted.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

const STATUS_RANK: Record<Status, number> = { pass: 0, warn: 1, unknown: 2, fail: 3 };

/** The worst of several statuses, with the same precedence as a single domain's. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'pass';
  for (const status of statuses) if (STATUS_RANK[status] > STATUS_RANK[worst]) worst = status;
  return worst;
}

/** Process exit code for a status: 0 pass, 1 warn, 2 fail, 3 unknown (the Nagios plugin convention). */
export const EXIT_CODES: Record<Status, number> = { pass: 0, warn: 1, fail: 2, unknown: 3 };

import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rules } from '../catalog/rules.js';
import type { RuleMeta } from '../core/rule.js';
import type { DomainResult } from '../engine/result.js';
import type { Finding, Severity } from '../core/finding.js';
import { EXIT_CODES } from '../core/status.js';
import { messageWithFix, worstSeen } from './reporter.js';
import type { Reporter, RunSummary } from './reporter.js';
import { rfcLinks } from './rfc-links.js';
import { VERSION } from '../core/version.js';
import type { SourceLocation } from '../core/finding.js';

/**
 * SARIF 2.1.0 (OASIS), what code-scanning UIs ingest: one run, the whole rule catalog as
 * tool.driver.rules (help text, fix, RFC links), a result per finding. Findings in zone files carry a
 * physical location (file, line, column); every finding names its domain as a logical location.
 * Suppressed findings carry `suppressions`; with a baseline every result has its `baselineState`,
 * and the baseline's findings this run did not find are results too, `absent`.
 */

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/**
 * unknown is no failure the tool saw but one it could not judge: SARIF's kind "open" (§3.27.9), whose
 * level must then be "none". info is the least failure, "note".
 */
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note', unknown: 'none' };

function reportingDescriptor(meta: RuleMeta): object {
  const links = rfcLinks(meta.rfc);
  return {
    id: meta.id,
    name: meta.id,
    shortDescription: { text: meta.summary },
    fullDescription: { text: `${meta.summary}. Fix: ${meta.fix}.` },
    help: {
      text: `${meta.summary}.\nFix: ${meta.fix}.\n${meta.rfc}: ${links.map((l) => l.url).join(' ')}`,
      markdown: `${meta.summary}.\n\n**Fix:** ${meta.fix}.\n\n${links.map((l) => `[${l.label}](${l.url})`).join(', ')}`,
    },
    ...(links[0] ? { helpUri: links[0].url } : {}),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { tags: [meta.family, meta.severity], severity: meta.severity, rfc: meta.rfc },
  };
}

/** A file name as a URI reference: relative paths stay relative (to the checkout), absolute ones become file: URIs. */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  const slashed = file.split(sep).join('/');
  // A first segment with ":" would read as a URI scheme.
  const safe = /^[^/]*:/.test(slashed) ? `./${slashed}` : slashed;
  return encodeURI(safe).replace(/[?#]/g, (c) => encodeURIComponent(c));
}

function physicalLocation(location: SourceLocation): object {
  return { artifactLocation: { uri: artifactUri(location.file) }, region: { startLine: location.line, startColumn: location.column } };
}

/**
 * SARIF's suppression (§3.35): a zone-file comment is `inSource`, at the comment; an ignore setting
 * (flag, config file, library) is `external`. Both are accepted: the finding does not count.
 */
function suppressions(finding: Finding): object {
  const { suppressed } = finding;
  if (suppressed === undefined) return {};
  const justification = suppressed.reason === undefined ? {} : { justification: suppressed.reason };
  return {
    suppressions: [suppressed.by === 'comment'
      ? { kind: 'inSource', status: 'accepted', ...justification, location: { physicalLocation: physicalLocation(suppressed.location) } }
      : { kind: 'external', status: 'accepted', ...justification, properties: { entry: suppressed.entry } }],
  };
}

/** A finding as a SARIF result; `absent`: one of the baseline's that this run did not find (baselineState "absent", §3.27.24). */
function sarifResult(result: DomainResult, finding: Finding, ruleIndex: Map<string, number>, absent = false): object {
  const name = result.domain ?? result.input;
  const index = ruleIndex.get(finding.rule);
  return {
    ruleId: finding.rule,
    ...(index === undefined ? {} : { ruleIndex: index }),
    ...(finding.severity === 'unknown' ? { kind: 'open' } : {}),
    level: LEVEL[finding.severity],
    message: { text: messageWithFix(finding) },
    ...(absent ? { baselineState: 'absent' } : finding.baseline === undefined ? {} : { baselineState: finding.baseline }),
    ...suppressions(finding),
    locations: [{
      ...(finding.location ? { physicalLocation: physicalLocation(finding.location) } : {}),
      logicalLocations: [{ name, fullyQualifiedName: name, kind: 'resource' }],
    }],
    properties: {
      severity: finding.severity, messageId: finding.messageId, fix: finding.fix, rfc: finding.rfc, domain: name,
      ...(finding.target === undefined ? {} : { target: finding.target }),
    },
  };
}

const INDENT = '        ';

/** A SARIF log with the rule descriptors and no results: a run that only exports rule metadata (§3.14.23). */
export function sarifRules(catalog: readonly RuleMeta[]): object {
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [{ tool: tool(catalog) }] };
}

function tool(catalog: readonly RuleMeta[]): object {
  return { driver: { name: 'mxlint', version: VERSION, semanticVersion: VERSION, rules: catalog.map(reportingDescriptor) } };
}

export function sarifReporter(catalog: readonly RuleMeta[] = rules): Reporter {
  const ruleIndex = new Map(catalog.map((meta, i) => [meta.id, i]));
  let count = 0;
  return {
    start: () => {
      const head = {
        $schema: SARIF_SCHEMA,
        version: '2.1.0',
        runs: [{
          tool: tool(catalog),
          columnKind: 'utf16CodeUnits',
          results: [],
        }],
      };
      const text = JSON.stringify(head, null, 2);
      return `${text.slice(0, text.lastIndexOf('"results": []'))}"results": [`;
    },
    result: (result) => [
      ...result.findings.map((finding) => sarifResult(result, finding, ruleIndex)),
      ...(result.absent ?? []).map((finding) => sarifResult(result, finding, ruleIndex, true)),
    ].map((entry) => `${count++ === 0 ? '\n' : ',\n'}${INDENT}${JSON.stringify(entry)}`).join(''),
    finish: (summary: RunSummary) => {
      const invocation = { executionSuccessful: true, exitCode: EXIT_CODES[worstSeen(summary.byStatus)] };
      return `${count === 0 ? '' : '\n      '}],\n      "invocations": [${JSON.stringify(invocation)}]\n    }\n  ]\n}\n`;
    },
  };
}

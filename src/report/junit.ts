import type { DomainResult } from '../engine/result.js';
import type { Finding } from '../core/finding.js';
import { countedFindings, messageWithFix } from './reporter.js';
import type { Reporter, RunSummary } from './reporter.js';
import { formatLocation } from './source-excerpt.js';

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, Azure): a testcase per domain (per owner in zone
 * mode), a <failure> per error finding, <skipped> when the domain could not be checked, warnings and
 * the rest as <system-out> and properties. Written at the end: the suite's counts head the file.
 */

/** Characters XML 1.0 cannot carry at all (C0 controls but tab, newline, carriage return; lone surrogates; U+FFFE/F). */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/gu;

export function xmlEscape(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function describe(finding: Finding): string {
  const where = finding.location ? `${formatLocation(finding.location)}: ` : '';
  return `${where}${finding.severity} ${finding.rule}: ${messageWithFix(finding)} (${finding.rfc})`;
}

function testcase(result: DomainResult): string {
  const name = result.domain ?? result.input;
  const file = result.zone ? ` file="${xmlEscape(result.zone.file)}"` : '';
  const classname = result.zone ? `mxlint.zone.${result.zone.origin}` : 'mxlint';
  const findings = countedFindings(result);
  const errors = findings.filter((f) => f.severity === 'error');
  const unknown = findings.filter((f) => f.severity === 'unknown');
  const others = findings.filter((f) => f.severity === 'warning' || f.severity === 'info');
  const body = [
    ...(findings.length > 0 ? [
      '      <properties>',
      `        <property name="status" value="${result.status}"/>`,
      ...findings.map((f) => `        <property name="${xmlEscape(f.severity)}" value="${xmlEscape(`${f.rule}${f.target ? ` ${f.target}` : ''}`)}"/>`),
      '      </properties>',
    ] : []),
    ...errors.map((f) => `      <failure type="${xmlEscape(f.rule)}" message="${xmlEscape(f.message)}">${xmlEscape(describe(f))}</failure>`),
    // A domain with an error failed whatever else is unknown; only without one is it "not run".
    ...(errors.length === 0 && unknown.length > 0
      ? [`      <skipped message="${xmlEscape(`could not be checked: ${unknown.map((f) => f.rule).join(', ')}`)}">${xmlEscape(unknown.map(describe).join('\n'))}</skipped>`]
      : []),
    ...(others.length > 0 ? [`      <system-out>${xmlEscape(others.map(describe).join('\n'))}</system-out>`] : []),
  ];
  const open = `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(classname)}"${file} time="${(result.durationMs / 1000).toFixed(3)}"`;
  return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
}

export function junitReporter(): Reporter {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  return {
    start: () => '',
    result: (result) => {
      cases.push(testcase(result));
      if (result.status === 'fail') failures++;
      else if (result.status === 'unknown') skipped++;
      return '';
    },
    finish: (summary: RunSummary) => {
      const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${(summary.durationMs / 1000).toFixed(3)}"`;
      return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="mxlint" ${counts}>`,
        `  <testsuite name="mxlint" ${counts}>`,
        ...cases,
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n');
    },
  };
}

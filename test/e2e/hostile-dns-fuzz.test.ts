/**
 * checkDomain against a hostile DNS server, through the real resolver and transports: a seeded,
 * bounded run of the fuzz `npm run fuzz` runs long (test/support/hostile-dns.ts has the faults and
 * the oracle), and the regressions it found, each replayed alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkWithFault, describeViolation, FAULT_NAMES, fuzzHostileDns } from '../support/hostile-dns.js';

/** This suite's loopback address (issue 6's block). */
const HOST = '127.0.10.1';
const SEED = 20261128;
const CASES = 1500;

function rules(result: { findings: { rule: string }[] }): string[] {
  return result.findings.map((f) => f.rule).sort();
}

describe('hostile DNS fuzz', () => {
  it(`${CASES} seeded cases: no exception, every case ends, no pass on a broken lookup, survivable faults change nothing`, { timeout: 300_000 }, async () => {
    const totals = await fuzzHostileDns({ seed: SEED, cases: CASES, host: HOST });
    assert.deepEqual(totals.violations.map(describeViolation), []);
    assert.deepEqual(totals.harnessErrors, [], 'every fault was served as scripted');
    assert.equal(totals.cases, CASES);
    // The run tests something only if every fault was served and both oracles had cases to judge.
    assert.deepEqual(FAULT_NAMES.filter((name) => !totals.byFault[name]), [], 'faults never served');
    assert.ok(totals.hostileAnswers > CASES * 4, `only ${totals.hostileAnswers} hostile answers`);
    assert.ok(totals.comparedToBaseline > CASES / 10, `only ${totals.comparedToBaseline} cases compared to the fault-free verdict`);
    assert.ok(totals.heldToFailure > CASES / 2, `only ${totals.heldToFailure} cases with a broken lookup`);
  });
});

describe('hostile DNS: regressions found by the fuzz', () => {
  it('a policy TXT record behind a CNAME chain longer than mxlint follows is unknown, not missing', { timeout: 30_000 }, async () => {
    const result = await checkWithFault(HOST, { name: '_mta-sts', type: 'TXT', fault: 'cname-chain-too-deep' });
    assert.equal(result.status, 'unknown');
    assert.ok(rules(result).includes('mta-sts-lookup-failed'), rules(result).join(' '));
    assert.ok(!rules(result).includes('mta-sts-missing'), rules(result).join(' '));
    const finding = result.findings.find((f) => f.rule === 'mta-sts-lookup-failed')!;
    assert.match(finding.message, /the CNAME chain is longer than 8 aliases/);
  });

  it('a reply truncated even over TCP is a failed lookup, not an empty answer: DMARC and TLS-RPT unknown, not missing', { timeout: 30_000 }, async () => {
    for (const [name, rule] of [['_dmarc', 'dmarc-lookup-failed'], ['_smtp._tls', 'tlsrpt-lookup-failed']] as const) {
      for (const fault of ['tc-even-over-tcp', '1000-answers']) {
        const result = await checkWithFault(HOST, { name, type: 'TXT', fault });
        assert.equal(result.status, 'unknown', `${name} ${fault}`);
        assert.ok(rules(result).includes(rule), `${name} ${fault}: ${rules(result).join(' ')}`);
      }
    }
  });

  it('a TLSA name behind a CNAME loop or a too-long chain is unknown (DANE senders defer), not "no TLSA"', { timeout: 30_000 }, async () => {
    for (const fault of ['cname-loop', 'cname-chain-too-deep']) {
      const result = await checkWithFault(HOST, { name: '_25._tcp.mx1', type: 'TLSA', fault });
      assert.equal(result.status, 'unknown', fault);
      const finding = result.findings.find((f) => f.rule === 'dane-not-validated');
      assert.ok(finding, `${fault}: ${rules(result).join(' ')}`);
      assert.match(finding.message, /CNAME chain (loops|is longer than 8 aliases)/, fault);
    }
  });
});

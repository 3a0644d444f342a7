/**
 * `--checks` (and the library's `checks`): a bare list replaces the default set, a list of
 * "+name"/"-name" changes it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CHECKS, readChecks } from '../../src/families/index.js';
import { requestedFamilies } from '../../src/engine/validate-options.js';
import { CLI_OPTION_NAMES } from '../../src/cli/args.js';
import { OptionError } from '../../src/core/errors.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { UsageError } from '../../src/cli/io.js';

function refused(message: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof OptionError && message.test(error.message);
}

describe('--checks', () => {
  it('a bare list replaces the default set, in registry order', () => {
    assert.deepEqual(readChecks('dmarc,mx', '--checks'), ['mx', 'dmarc']);
    assert.deepEqual(readChecks(['mta-sts'], 'checks'), ['mta-sts']);
  });

  it('+name adds to the default set and -name removes from it', () => {
    assert.deepEqual(DEFAULT_CHECKS, ['mx', 'spf', 'dmarc', 'takeover']);
    assert.deepEqual(readChecks('+mta-sts,-dmarc', '--checks'), ['mx', 'spf', 'mta-sts', 'takeover']);
    assert.deepEqual(readChecks(['+tlsrpt', '+mta-sts'], 'checks'), ['mx', 'spf', 'dmarc', 'mta-sts', 'tlsrpt', 'takeover']);
    assert.deepEqual(readChecks('-spf', '--checks', ['mx', 'spf', 'ptr']), ['mx', 'ptr'], 'changes the base given');
    assert.deepEqual(readChecks('-dnsbl', '--checks'), ['mx', 'spf', 'dmarc', 'takeover'], 'removing a family that is not there changes nothing');
  });

  it('refuses a list that mixes names and changes, "+all", an unknown name and nothing left', () => {
    assert.throws(() => readChecks('mx,+spf', '--checks'), (e: unknown) => e instanceof OptionError && /^--checks mixes a list \(mx\) with changes to the default set \(\+spf\)/.test(e.message));
    assert.throws(() => readChecks('+all', '--checks'), refused(/cannot add or remove "all"/));
    assert.throws(() => readChecks('+mta-stss', '--checks'), refused(/^unknown check family "mta-stss" in --checks/));
    assert.throws(() => readChecks('-mx,-spf,-dmarc,-takeover', '--checks'), refused(/^--checks -mx,-spf,-dmarc,-takeover leaves no check family to run$/));
  });

  it('+dnsbl still needs block lists, and -dnsbl with block lists is a contradiction', () => {
    assert.throws(() => requestedFamilies({ checks: '+dnsbl' }, CLI_OPTION_NAMES), refused(/^--checks dnsbl needs the block lists to ask/));
    assert.deepEqual(requestedFamilies({ checks: '+ptr', dnsbl: ['bl.example'] }), ['mx', 'spf', 'dmarc', 'ptr', 'dnsbl', 'takeover']);
    assert.throws(() => requestedFamilies({ checks: '-dnsbl', dnsbl: ['bl.example'] }, CLI_OPTION_NAMES),
      refused(/^--dnsbl turns the dnsbl family on and --checks -dnsbl turns it off/));
  });

  it('the command line takes +name and -name, repeated flags adding up', async () => {
    const parsed = await parseCommandLine(['--checks', '+mta-sts', '--checks=-dmarc', 'example.com']);
    assert.equal(parsed.kind, 'run');
    if (parsed.kind !== 'run') return;
    assert.deepEqual(requestedFamilies(parsed.request.options), ['mx', 'spf', 'mta-sts', 'takeover']);
    const bare = await parseCommandLine(['example.com']);
    assert.equal(bare.kind === 'run' ? bare.request.options.checks : null, undefined, 'no --checks: the default set, not a copy of it');
    await assert.rejects(parseCommandLine(['--checks', '-dnsbl', 'example.com']),
      (e: unknown) => e instanceof UsageError && e.message === '--checks -dnsbl: write --checks=-dnsbl (a value that starts with "-" reads as a flag)');
  });
});

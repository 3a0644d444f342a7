/**
 * `mxlint spf DOMAIN --ip ADDRESS`: evaluates the SPF policy of DOMAIN for mail from ADDRESS
 * (RFC 7208 check_host()) and prints the result with the trace of terms that led to it.
 */
import { resolverOptions } from '../engine/run-options.js';
import { parseDomainInput } from '../dns/name.js';
import { Resolver } from '../dns/resolver.js';
import { checkHost } from '../families/spf/check-host.js';
import type { SpfOutcome, SpfResult, TraceStep } from '../families/spf/check-host.js';
import { parseClientAddress } from '../families/spf/client-address.js';
import { MAX_DNS_TERMS, MAX_VOID_LOOKUPS } from '../families/spf/limits.js';
import type { Status } from '../core/finding.js';
import { EXIT_CODES } from '../core/status.js';
import { escapeUntrusted, terminalSafeJson } from '../core/escape.js';
import { choiceFlag, commandParser, RESOLVER_OPTIONS, resolverOptionsOf, runParser, validatedOptionsOf } from './args.js';
import type { CheckOptions } from '../core/options.js';
import type { Options } from 'yargs';
import { UsageError } from './io.js';
import type { CliIo } from './io.js';

const SPF_FORMATS = ['text', 'json'] as const;
type SpfFormat = (typeof SPF_FORMATS)[number];

/** The exit code of a result, through the status it stands for: 0 pass, 1 softfail/neutral/none, 2 fail/permerror, 3 temperror. */
const SPF_RESULT_STATUS: Record<SpfResult, Status> = {
  pass: 'pass', softfail: 'warn', neutral: 'warn', none: 'warn', fail: 'fail', permerror: 'fail', temperror: 'unknown',
};

interface SpfRequest {
  /** How to ask DNS. */
  options: CheckOptions;
  domain: string;
  ip: string;
  sender: string;
  helo: string;
  format: SpfFormat;
}

const SPF_OPTIONS = {
  ip: { type: 'string', requiresArg: true, demandOption: true, describe: 'the sending host\'s address (the SMTP client), IPv4 or IPv6' },
  sender: { type: 'string', requiresArg: true, describe: 'the MAIL FROM address, for the %{s}, %{l} and %{o} macros (default postmaster@<domain>)' },
  helo: { type: 'string', requiresArg: true, describe: 'the HELO/EHLO name, for the %{h} macro (default <domain>)' },
  ...RESOLVER_OPTIONS,
  format: { alias: 'o', type: 'string', requiresArg: true, default: 'text', describe: `output format: ${SPF_FORMATS.join(', ')}` },
} as const satisfies Record<string, Options>;

function parser() {
  return commandParser('mxlint spf', 'mxlint spf <domain> --ip <address> [options]\n\nEvaluates the SPF policy of <domain> for mail sent from <address> (RFC 7208 check_host()) and\nshows the result with the terms that led to it.')
    .command('$0 <domain>', false)
    .positional('domain', { type: 'string', describe: 'the domain whose SPF policy is asked (the MAIL FROM domain, or the HELO name)' })
    .options(SPF_OPTIONS)
    .example('$0 example.com --ip 192.0.2.25 --server 127.0.0.1:5300', 'may 192.0.2.25 send mail for example.com?')
    .example('$0 example.com --ip 2001:db8::25 --sender bob@example.com --helo mail.example.com', 'with the SMTP identities')
    .epilogue('Exit status: 0 pass, 1 softfail, neutral or none, 2 fail or permerror, 3 temperror or a usage error.')
    .version(false);
}

function readRequest(argv: Record<string, unknown>): SpfRequest {
  const domain = parseDomainInput(String(argv.domain));
  if (!domain.valid) throw new UsageError(`"${String(argv.domain)}" is not a domain name: ${domain.reason}`);
  const ip = String(argv.ip);
  if (parseClientAddress(ip) === null) throw new UsageError(`--ip: "${ip}" is not an IPv4 or IPv6 address`);
  const sender = argv.sender === undefined ? `postmaster@${domain.name}` : String(argv.sender);
  if (!sender.includes('@')) throw new UsageError(`--sender: "${sender}" is not an e-mail address (local-part@domain)`);
  const helo = argv.helo === undefined ? domain.name : String(argv.helo);
  if (helo === '') throw new UsageError('--helo: the HELO name is empty');
  return { domain: domain.name, ip, sender, helo, format: choiceFlag(argv.format, 'format', SPF_FORMATS), options: validatedOptionsOf(resolverOptionsOf(argv)) };
}

function describeStep(step: TraceStep): string {
  const indent = '  '.repeat(step.depth + 1);
  switch (step.step) {
    case 'record':
      return `${indent}${step.domain}: ${step.record}`;
    case 'term': {
      const verdict = step.matched === null ? 'stopped' : step.matched ? 'match' : 'no match';
      return `${indent}  ${step.term}  ${verdict}${step.detail === '' ? '' : `: ${step.detail}`}`;
    }
    case 'redirect':
      return `${indent}  ${step.term}  → ${step.target ?? 'a name that cannot be looked up'}`;
    case 'result':
      return `${indent}  = ${step.result}: ${step.reason}`;
  }
}

function formatText(request: SpfRequest, outcome: SpfOutcome): string {
  const lines = [
    `${request.domain}  ${outcome.result.toUpperCase()} for ${request.ip} (sender ${request.sender}, HELO ${request.helo})`,
    // The outcome's own line says what the top-level result step would.
    ...outcome.trace.filter((step) => !(step.step === 'result' && step.depth === 0)).map(describeStep),
    `  ${outcome.result}: ${outcome.reason}`,
  ];
  if (outcome.explanation) lines.push(`  explanation${outcome.explanation.source === 'default' ? ' (mxlint\'s; the record has no usable exp=)' : ''}: ${outcome.explanation.text}`);
  lines.push(`  DNS lookups: ${outcome.lookups} of ${MAX_DNS_TERMS}, void lookups: ${outcome.voidLookups} of ${MAX_VOID_LOOKUPS}`);
  // Records, explanations and the sender come from outside: nothing in them may drive the terminal.
  return `${lines.map(escapeUntrusted).join('\n')}\n`;
}

/** Runs the subcommand with the arguments after "spf"; resolves to the exit code, throws UsageError. */
export async function runSpfCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = await runParser(parser(), args, SPF_OPTIONS);
  if ('print' in parsed) {
    io.stdout.write(parsed.print);
    return 0;
  }
  const request = readRequest(parsed.argv);
  const resolver = new Resolver(resolverOptions(request.options));
  try {
    const { domain, ip, sender, helo } = request;
    const outcome = await checkHost(resolver, { domain, ip, sender, helo });
    io.stdout.write(request.format === 'json' ? `${terminalSafeJson(JSON.stringify({ domain, ip, sender, helo, ...outcome }, null, 2))}\n` : formatText(request, outcome));
    return EXIT_CODES[SPF_RESULT_STATUS[outcome.result]];
  } finally {
    resolver.close();
  }
}

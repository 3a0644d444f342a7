/**
 * `mxlint postfix [main.cf]`: checks a Postfix configuration against DNS (and, with --checks smtp,
 * the running server), reported in any output format as one result for the server and one per
 * domain it accepts mail for.
 */
import { isIP } from 'node:net';
import type { Options } from 'yargs';
import { readFailure, readTextFile, readTextStream } from '../core/files.js';
import { checkPostfix } from '../modes/postfix/runner.js';
import { readServerConfig } from '../modes/postfix/config.js';
import { parseMainCf } from '../modes/postfix/main-cf.js';
import type { MainCf } from '../modes/postfix/main-cf.js';
import { FORMAT_NAMES } from '../report/formats.js';
import {
  CHECK_OPTIONS, choiceFlag, commandParser, FAMILY_OPTIONS, familyOptionsOf, RESOLVER_OPTIONS, resolverOptionsOf, runParser, validatedOptionsOf,
} from './args.js';
import { RunError, UsageError } from './io.js';
import type { CliIo } from './io.js';
import { reportRun } from './run-checks.js';

export const DEFAULT_MAIN_CF = '/etc/postfix/main.cf';

const { format, color, quiet } = CHECK_OPTIONS;

const POSTFIX_OPTIONS = {
  postconf: { type: 'string', requiresArg: true, describe: 'read `postconf -n` output from this file (- for stdin) instead of main.cf' },
  address: { type: 'string', requiresArg: true, describe: "the server's public address, IPv4 or IPv6 (repeatable; default: the public addresses in inet_interfaces)" },
  ...RESOLVER_OPTIONS,
  ...FAMILY_OPTIONS,
  format, color, quiet,
} as const satisfies Record<string, Options>;

function parser() {
  return commandParser('mxlint postfix', 'mxlint postfix [main.cf] [options]\nmxlint postfix --postconf <file|-> [options]\n\n'
    + 'Checks a Postfix configuration against DNS: myhostname and its address, the reverse DNS of the\n'
    + 'server\'s addresses, that every domain Postfix accepts mail for has MX records pointing here (and\n'
    + 'passes the domain checks), myorigin\'s SPF, and with --checks smtp the running server itself.')
    .command('$0 [path]', false)
    .positional('path', { type: 'string', describe: `main.cf to read (default ${DEFAULT_MAIN_CF})` })
    .options(POSTFIX_OPTIONS)
    .example('$0 --address 192.0.2.25', 'check /etc/postfix/main.cf for a server at 192.0.2.25')
    .example('postconf -n | $0 --postconf - --address 192.0.2.25 --checks mx,spf,dmarc,smtp', 'what Postfix really uses, and the live server')
    .epilogue('Exit status: 0 pass, 1 warnings, 2 errors, 3 could not check (lookup failed, unreadable file or usage error).')
    .version(false);
}

function addressList(values: unknown): string[] {
  return [values ?? []].flat().map(String).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '').map((text) => {
    const address = text.replace(/^\[(.*)\]$/, '$1');
    if (isIP(address) === 0) throw new UsageError(`--address: "${text}" is not an IPv4 or IPv6 address`);
    return address;
  });
}

/** main.cf or `postconf -n` output (the same syntax); a file that cannot be read is a one-line error. */
async function readConfig(argv: Record<string, unknown>, io: CliIo): Promise<MainCf> {
  if (argv.postconf !== undefined && argv.path !== undefined) throw new UsageError('give main.cf or --postconf, not both');
  const postconf = argv.postconf === undefined ? undefined : String(argv.postconf);
  const file = postconf === '-' ? '(postconf -n)' : postconf ?? (argv.path === undefined ? DEFAULT_MAIN_CF : String(argv.path));
  let text: string;
  try {
    if (postconf !== '-') ({ text } = readTextFile(file));
    else text = io.stdin === undefined ? '' : await readTextStream(io.stdin);
  } catch (error) {
    throw new RunError(`cannot read ${postconf === '-' ? '--postconf - (standard input)' : file}: ${readFailure(error)}`);
  }
  return parseMainCf(text, file);
}

/** Runs the subcommand with the arguments after "postfix"; resolves to the exit code, throws UsageError or RunError. */
export async function runPostfixCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = await runParser(parser(), args, POSTFIX_OPTIONS);
  if ('print' in parsed) {
    io.stdout.write(parsed.print);
    return 0;
  }
  const { argv } = parsed;
  const addresses = addressList(argv.address);
  const options = { ...validatedOptionsOf({ ...resolverOptionsOf(argv), ...familyOptionsOf(argv) }), addresses };
  const config = readServerConfig(await readConfig(argv, io));
  const report = { format: choiceFlag(argv.format, 'format', FORMAT_NAMES), color: argv.color as boolean | undefined, quiet: argv.quiet === true, progress: false };
  return reportRun({
    results: (async function* () { yield* await checkPostfix(config, options); })(),
    sources: config.sources,
    countTotal: () => Promise.resolve(null),
    close: () => Promise.resolve(),
  }, report, io);
}

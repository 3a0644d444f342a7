import { OptionError } from '../core/errors.js';
import { escapeUntrusted } from '../core/escape.js';
import { rules } from '../catalog/rules.js';
import { EXIT_CODES } from '../core/status.js';
import { parseCommandLine } from './args.js';
import { processIo, RunError, UsageError } from './io.js';
import type { CliIo } from './io.js';
import { formatRuleList } from './list-rules.js';
import { runChecks } from './run-checks.js';
import { runServe } from './run-serve.js';
import { runSpfCommand } from './spf-command.js';
import { runPostfixCommand } from './postfix-command.js';

const USAGE_EXIT_CODE = EXIT_CODES.unknown;
/** `mxlint spf DOMAIN --ip ADDRESS` and `mxlint postfix` have parsers of their own; every other command line is read by args.ts. */
const SUBCOMMANDS = {
  spf: runSpfCommand,
  postfix: runPostfixCommand,
} as const satisfies Record<string, (args: string[], io: CliIo) => Promise<number>>;

function subcommandOf(args: string[]): keyof typeof SUBCOMMANDS | null {
  const first = args[0];
  return first !== undefined && Object.hasOwn(SUBCOMMANDS, first) ? first as keyof typeof SUBCOMMANDS : null;
}

/**
 * The whole command line: parse, check, report. Resolves to the exit code; whatever goes wrong ends
 * as one line on stderr, never a stack trace.
 */
export async function runCli(args: string[], io: CliIo = processIo): Promise<number> {
  const subcommand = subcommandOf(args);
  try {
    if (subcommand !== null) return await SUBCOMMANDS[subcommand](args.slice(1), io);
    const parsed = await parseCommandLine(args);
    switch (parsed.kind) {
      case 'print':
        io.stdout.write(parsed.text);
        return 0;
      case 'serve':
        return await runServe(parsed.request, io);
      case 'run':
        if (parsed.request.listRules) {
          io.stdout.write(formatRuleList(rules, parsed.request.format));
          return 0;
        }
        return await runChecks(parsed.request, io);
    }
  } catch (error) {
    // Messages echo what was given (arguments, file names, lines): escaped, they stay one harmless line.
    const say = (message: string): number => {
      io.stderr.write(`mxlint: ${escapeUntrusted(message)}\n`);
      return USAGE_EXIT_CODE;
    };
    if (error instanceof UsageError || error instanceof OptionError) return say(`${error.message} (see mxlint ${subcommand === null ? '' : `${subcommand} `}--help)`);
    if (error instanceof RunError) return say(error.message);
    return say(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

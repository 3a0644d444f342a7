/**
 * The files that judge a run beside its flags: the configuration file (`mxlint.config.json` in the
 * working directory, or `--config FILE`) and a baseline (`--baseline FILE`, an earlier run's JSON or
 * JSON Lines, validated with the other options). A flag wins over the file: `--profile` over its `profile`, each `--rules` level over
 * the file's level for that rule; `--ignore` entries add to its `ignore`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFailure, readTextFile } from '../core/files.js';
import type { CheckOptions } from '../core/options.js';
import type { BaselineResult, RuleLevel } from '../core/settings.js';
import { LIBRARY_OPTION_NAMES, validateOptions } from '../engine/validate-options.js';
import type { OptionNames } from '../engine/validate-options.js';
import { UsageError } from './io.js';

/** The file read from the working directory when no --config names one (and --no-config does not turn it off). */
export const CONFIG_FILE_NAME = 'mxlint.config.json';

/** The largest baseline read: the JSON Lines of a bulk run of about a hundred thousand domains. */
export const MAX_BASELINE_BYTES = 256 * 1024 * 1024;

/** What a configuration file may set: the flags of the same names, and `domains` (settings per domain or suffix), which has none. */
const CONFIG_KEYS = ['checks', 'profile', 'rules', 'ignore', 'domains'] as const;

export type ConfigSettings = Pick<CheckOptions, (typeof CONFIG_KEYS)[number]>;

/** Option names as a config file's errors say them: `mxlint.config.json: "rules"`. */
function configNames(file: string): OptionNames {
  return Object.fromEntries(Object.keys(LIBRARY_OPTION_NAMES).map((key) => [key, `${file}: "${key}"`])) as OptionNames;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where}: not JSON (${(error as Error).message})`);
  }
}

function readText(path: string, flag: string, maxBytes?: number): string {
  try {
    return readTextFile(path, maxBytes).text;
  } catch (error) {
    throw new UsageError(`${flag} ${path}: cannot be read (${readFailure(error)})`);
  }
}

/**
 * The configuration of a run: the file `--config` names (false: --no-config), else
 * mxlint.config.json in `cwd` when there is one, validated; {} without one.
 */
export function readConfigFile(config: unknown, cwd = process.cwd()): ConfigSettings {
  if (config === false) return {};
  if (Array.isArray(config)) throw new UsageError(`--config is given ${config.length} times; give it once`);
  const path = config === undefined ? join(cwd, CONFIG_FILE_NAME) : String(config);
  if (config === undefined && !existsSync(path)) return {};
  const file = config === undefined ? CONFIG_FILE_NAME : path;
  const settings = parseJson(readText(path, '--config'), file);
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new UsageError(`${file}: must be a JSON object of ${CONFIG_KEYS.join(', ')}`);
  const { $schema: _schema, ...rest } = settings as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) throw new UsageError(`${file}: unknown key "${key}" (known: ${CONFIG_KEYS.join(', ')})`);
  }
  return validateOptions(rest as ConfigSettings, configNames(file));
}

/** `--rules RULE=LEVEL[,RULE=LEVEL…]`, repeatable: the levels in order, a later one for the same rule winning. */
export function parseRuleLevels(values: readonly string[]): Record<string, RuleLevel> | undefined {
  if (values.length === 0) return undefined;
  return Object.fromEntries(values.flatMap((value) => value.split(',')).map((entry) => entry.trim()).filter((entry) => entry !== '').map((entry) => {
    const at = entry.indexOf('=');
    if (at <= 0) throw new UsageError(`--rules "${entry}": write RULE=LEVEL, e.g. mx-single=off`);
    return [entry.slice(0, at).trim(), entry.slice(at + 1).trim() as RuleLevel];
  }));
}

/** The flags over the file: what a run is judged by. */
export function mergedSettings(config: ConfigSettings, flags: ConfigSettings): ConfigSettings {
  const rules = config.rules === undefined && flags.rules === undefined ? undefined : { ...config.rules, ...flags.rules };
  const ignore = [...(config.ignore ?? []), ...(flags.ignore ?? [])];
  const checks = flags.checks ?? config.checks;
  const profile = flags.profile ?? config.profile;
  return {
    ...(checks === undefined ? {} : { checks }),
    ...(profile === undefined ? {} : { profile }),
    ...(rules === undefined ? {} : { rules }),
    ...(ignore.length === 0 ? {} : { ignore }),
    ...(config.domains === undefined ? {} : { domains: config.domains }),
  };
}

/** An earlier run's results for --baseline: what `--format json` printed (one array) or `--format jsonl` (one result per line). */
export function readBaselineFile(path: string): BaselineResult[] {
  const text = readText(path, '--baseline', MAX_BASELINE_BYTES);
  if (text.trimStart().startsWith('[')) {
    const results = parseJson(text, `--baseline ${path}`);
    if (!Array.isArray(results)) throw new UsageError(`--baseline ${path}: not a list of results`);
    return results as BaselineResult[];
  }
  return text.split('\n').flatMap((line, index) => (line.trim() === '' ? [] : [parseJson(line, `--baseline ${path} line ${index + 1}`) as BaselineResult]));
}

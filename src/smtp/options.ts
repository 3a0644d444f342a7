import { OptionError } from '../check.js';
import type { CheckOptions } from '../check.js';
import { parseConnectTo } from '../net/connect-to.js';
import type { ConnectToRule } from '../net/connect-to.js';
import { DEFAULT_SMTP_PHASE_TIMEOUT_MS, SMTP_PORT } from './session.js';

/** The probe's settings for one check, read from the check options with their defaults filled in. */
export interface SmtpSettings {
  port: number;
  phaseTimeoutMs: number;
  ehloName: string | undefined;
  allowPrivate: boolean;
  ca: readonly string[];
  connectTo: readonly ConnectToRule[];
}

/** Connect-to rules given as text (`mx1.example.com=127.0.0.1:2525`) or already parsed. */
export function connectToRules(specs: CheckOptions['connectTo']): ConnectToRule[] {
  return (specs ?? []).map((spec) => {
    if (typeof spec !== 'string') return spec;
    const parsed = parseConnectTo(spec);
    if (!parsed.ok) throw new OptionError(`invalid connect-to: ${parsed.reason}`);
    return parsed.rule;
  });
}

export function smtpSettings(options: CheckOptions): SmtpSettings {
  return {
    port: options.smtp?.port ?? SMTP_PORT,
    phaseTimeoutMs: options.smtp?.timeoutMs ?? DEFAULT_SMTP_PHASE_TIMEOUT_MS,
    ehloName: options.smtp?.ehloName,
    allowPrivate: options.allowPrivate ?? false,
    ca: options.ca ?? [],
    connectTo: connectToRules(options.connectTo),
  };
}

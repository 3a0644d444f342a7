import type { CheckOptions } from '../core/options.js';
import { connectPolicy } from '../net/route.js';
import type { ConnectPolicy } from '../net/route.js';
import { DEFAULT_SMTP_GREETING_TIMEOUT_MS, DEFAULT_SMTP_PHASE_TIMEOUT_MS, SMTP_PORT } from '../smtp/session.js';

/** The probe's settings for one check, read from the check options with their defaults filled in. */
export interface SmtpSettings {
  port: number;
  phaseTimeoutMs: number;
  greetingTimeoutMs: number;
  ehloName: string | undefined;
  ca: readonly string[];
  connect: ConnectPolicy;
}

export function smtpSettings(options: CheckOptions): SmtpSettings {
  return {
    port: options.smtp?.port ?? SMTP_PORT,
    phaseTimeoutMs: options.smtp?.timeoutMs ?? DEFAULT_SMTP_PHASE_TIMEOUT_MS,
    greetingTimeoutMs: options.smtp?.greetingTimeoutMs ?? DEFAULT_SMTP_GREETING_TIMEOUT_MS,
    ehloName: options.smtp?.ehloName,
    ca: options.ca ?? [],
    connect: connectPolicy(options),
  };
}

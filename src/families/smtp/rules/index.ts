import { smtpBannerInvalid, smtpBannerNameMismatch, smtpEhloFailed, smtpNotProbed, smtpUnreachable } from './connection.js';
import { smtpCertExpiring, smtpCertInvalid, smtpCertNameMismatch, smtpStarttlsMissing, smtpTlsFailed } from './tls.js';

export const smtpRules = [
  smtpNotProbed, smtpUnreachable, smtpBannerInvalid, smtpEhloFailed, smtpStarttlsMissing, smtpTlsFailed,
  smtpCertInvalid, smtpCertNameMismatch, smtpCertExpiring, smtpBannerNameMismatch,
];

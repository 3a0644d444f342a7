import { smtpBannerInvalid, smtpBannerNameMismatch, smtpEhloFailed, smtpNotProbed, smtpUnreachable } from './connection.js';
import { smtpCertExpiring, smtpCertInvalid, smtpCertNameMismatch, smtpStarttlsMissing, smtpTlsFailed } from './tls.js';
import { smtpExtensionConflict, smtpExtensionsAfterTls } from './extensions.js';

export const smtpRules = [
  smtpNotProbed, smtpUnreachable, smtpBannerInvalid, smtpEhloFailed, smtpStarttlsMissing, smtpTlsFailed,
  smtpCertInvalid, smtpCertNameMismatch, smtpCertExpiring, smtpExtensionsAfterTls, smtpExtensionConflict, smtpBannerNameMismatch,
];

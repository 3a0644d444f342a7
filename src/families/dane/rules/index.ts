import { daneNotValidated, daneTlsaBogus, daneTlsaInsecure, daneTlsaMismatch, daneTlsaUnusable } from './tlsa.js';
import { daneNewCertMismatch, daneNoRolloverScheme, daneTlsaDigestAgility } from './rollover.js';

export const daneRules = [
  daneTlsaBogus, daneTlsaMismatch, daneNewCertMismatch, daneTlsaDigestAgility, daneTlsaInsecure, daneTlsaUnusable, daneNoRolloverScheme, daneNotValidated,
];

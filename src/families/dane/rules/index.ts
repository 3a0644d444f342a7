import { daneNotValidated, daneTlsaBogus, daneTlsaInsecure, daneTlsaMismatch, daneTlsaUnusable } from './tlsa.js';

export const daneRules = [daneTlsaBogus, daneTlsaMismatch, daneTlsaInsecure, daneTlsaUnusable, daneNotValidated];

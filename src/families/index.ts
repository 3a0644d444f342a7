import { mxRules } from './mx/index.js';
import type { CheckFamily } from '../core/rule.js';
import { defineFamily } from '../core/family.js';
import type { CheckFamilyRunner } from '../core/family.js';
import { spfFamily } from './spf/index.js';
import { dmarcFamily } from './dmarc/index.js';
import { mtaStsFamily } from './mta-sts/index.js';
import { tlsRptFamily } from './tlsrpt/index.js';
import { ptrFamily } from './ptr/index.js';
import { dnsblFamily } from './dnsbl/index.js';
import { smtpFamily } from './smtp/index.js';
import { dnssecFamily } from './dnssec/index.js';
import { daneFamily } from './dane/index.js';

/** MX: the domain's MX records, their exchanges, aliases and addresses. Its facts are the shared MailFacts. */
const mxFamily = defineFamily({ name: 'mx', collect: async ({ mail }) => mail, rules: mxRules });

/** Every check family, in the order `--checks all` runs them and the catalog lists their rules. */
export const CHECK_FAMILIES: readonly CheckFamilyRunner[] = [
  mxFamily, spfFamily, dmarcFamily, mtaStsFamily, tlsRptFamily, dnssecFamily, daneFamily, ptrFamily, smtpFamily, dnsblFamily,
];

export const CHECK_FAMILY_NAMES: readonly CheckFamily[] = CHECK_FAMILIES.map((f) => f.name);

/** What runs when --checks is not given. */
export const DEFAULT_CHECKS: readonly CheckFamily[] = ['mx', 'spf', 'dmarc'];

export type { CheckContext, CheckFamilyDefinition, CheckFamilyRunner } from '../core/family.js';

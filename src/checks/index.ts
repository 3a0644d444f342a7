import { mxRules } from '../rules/index.js';
import type { CheckFamily } from '../rules/rule.js';
import { defineFamily } from './family.js';
import type { CheckFamilyRunner } from './family.js';
import { spfFamily } from './spf.js';
import { dmarcFamily } from './dmarc.js';
import { mtaStsFamily } from './mta-sts.js';
import { tlsRptFamily } from './tlsrpt.js';
import { ptrFamily } from './ptr.js';
import { dnsblFamily } from './dnsbl.js';
import { smtpFamily } from './smtp.js';
import { dnssecFamily } from './dnssec.js';
import { daneFamily } from './dane.js';

/** MX: the domain's MX records, their exchanges, aliases and addresses. Its facts are the shared MailFacts. */
const mxFamily = defineFamily({ name: 'mx', collect: async ({ mail }) => mail, rules: mxRules });

/** Every check family, in the order `--checks all` runs them and the catalog lists their rules. */
export const CHECK_FAMILIES: readonly CheckFamilyRunner[] = [
  mxFamily, spfFamily, dmarcFamily, mtaStsFamily, tlsRptFamily, dnssecFamily, daneFamily, ptrFamily, smtpFamily, dnsblFamily,
];

export const CHECK_FAMILY_NAMES: readonly CheckFamily[] = CHECK_FAMILIES.map((f) => f.name);

/** What runs when --checks is not given. */
export const DEFAULT_CHECKS: readonly CheckFamily[] = ['mx', 'spf', 'dmarc'];

export type { CheckContext, CheckFamilyDefinition, CheckFamilyRunner } from './family.js';

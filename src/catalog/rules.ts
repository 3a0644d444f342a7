import { FAMILIES } from '../families/index.js';
import { domainInvalid } from '../families/mx/rules/index.js';
import type { RuleMeta } from '../core/rule.js';
import { zoneRuleCatalog } from '../modes/zone/rules/index.js';
import { authoritativeRuleCatalog } from '../modes/authoritative/rules.js';
import { postfixRuleCatalog } from '../modes/postfix/rules.js';
import { profileRuleCatalog } from '../engine/profiles/index.js';

type RuleOf<F> = F extends { rules: readonly (infer Meta)[] } ? Meta : never;
type CatalogEntry = typeof domainInvalid | RuleOf<(typeof FAMILIES)[number]> | (typeof zoneRuleCatalog)[number]
  | (typeof profileRuleCatalog)[number] | (typeof authoritativeRuleCatalog)[number] | (typeof postfixRuleCatalog)[number];

/** Every rule id mxlint can report: the type of `Finding.rule` in the library's public types. */
export type RuleId = CatalogEntry['id'];

const CATALOG: readonly CatalogEntry[] = [domainInvalid, ...(FAMILIES as readonly { rules: readonly CatalogEntry[] }[]).flatMap((family) => family.rules),
  ...profileRuleCatalog, ...zoneRuleCatalog, ...authoritativeRuleCatalog, ...postfixRuleCatalog];

/** Every rule mxlint can report, as documented: the public catalog (ids are a stable contract). */
export const rules: readonly RuleMeta<RuleId>[] = CATALOG;

import { CHECK_FAMILIES } from './checks/index.js';
import { domainInvalid } from './rules/index.js';
import type { RuleMeta } from './rules/index.js';
import { zoneRuleCatalog } from './rules/zone/index.js';
import { authoritativeRuleCatalog } from './rules/authoritative/index.js';
import { postfixRuleCatalog } from './rules/postfix/index.js';

/** Every rule mxlint can report, as documented: the public catalog (ids are a stable contract). */
export const rules: readonly RuleMeta[] = [domainInvalid, ...CHECK_FAMILIES.flatMap((family) => family.rules), ...zoneRuleCatalog,
  ...authoritativeRuleCatalog, ...postfixRuleCatalog];

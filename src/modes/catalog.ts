import { CHECK_FAMILIES } from '../families/index.js';
import { domainInvalid } from '../families/mx/index.js';
import type { RuleMeta } from '../families/mx/index.js';
import { zoneRuleCatalog } from './zone/rules/index.js';
import { authoritativeRuleCatalog } from './authoritative/rules.js';
import { postfixRuleCatalog } from './postfix/rules.js';

/** Every rule mxlint can report, as documented: the public catalog (ids are a stable contract). */
export const rules: readonly RuleMeta[] = [domainInvalid, ...CHECK_FAMILIES.flatMap((family) => family.rules), ...zoneRuleCatalog,
  ...authoritativeRuleCatalog, ...postfixRuleCatalog];

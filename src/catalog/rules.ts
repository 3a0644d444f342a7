import { FAMILIES } from '../families/index.js';
import { domainInvalid } from '../families/mx/rules/index.js';
import type { RuleMeta } from '../core/rule.js';
import { legacyMeta } from '../core/legacy-rule.js';
import type { LegacyRuleMeta } from '../core/legacy-rule.js';
import { zoneRuleCatalog } from '../modes/zone/rules/index.js';
import { authoritativeRuleCatalog } from '../modes/authoritative/rules.js';
import { postfixRuleCatalog } from '../modes/postfix/rules.js';

const asMeta = (meta: RuleMeta | LegacyRuleMeta): RuleMeta => ('messages' in meta ? meta : legacyMeta(meta));

/** Every rule mxlint can report, as documented: the public catalog (ids are a stable contract). */
export const rules: readonly RuleMeta[] = [domainInvalid, ...FAMILIES.flatMap((family) => family.rules), ...zoneRuleCatalog,
  ...authoritativeRuleCatalog, ...postfixRuleCatalog].map(asMeta);

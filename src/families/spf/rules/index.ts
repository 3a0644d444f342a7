import type { Rule } from '../../../core/rule.js';
import type { SpfFacts } from '../collect.js';
import { spfLookupFailed, spfMissing, spfMultiple, spfSyntax } from './record.js';
import { spfLookupLimit, spfVoidLookupLimit } from './limits.js';
import { spfIncludeUnresolvable, spfPermissiveAll, spfPtr } from './mechanisms.js';

/** The spf family's rules, in catalog order. */
export const spfRules: readonly Rule<SpfFacts>[] = [
  spfMissing, spfMultiple, spfSyntax, spfLookupLimit, spfVoidLookupLimit, spfPermissiveAll, spfPtr,
  spfIncludeUnresolvable, spfLookupFailed,
];

import { spfLookupFailed, spfMissing, spfMultiple, spfSyntax } from './record.js';
import { spfLookupLimit, spfMxLimit, spfVoidLookupLimit } from './limits.js';
import { spfIncludeUnresolvable, spfNullMxAuthorizes, spfPermissiveAll, spfPtr } from './mechanisms.js';

/** The spf family's rules, in catalog order. */
export const spfRules = [
  spfMissing, spfMultiple, spfSyntax, spfLookupLimit, spfVoidLookupLimit, spfMxLimit, spfPermissiveAll, spfNullMxAuthorizes, spfPtr,
  spfIncludeUnresolvable, spfLookupFailed,
];

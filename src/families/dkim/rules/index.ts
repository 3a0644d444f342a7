import { dkimCnameBroken, dkimLookupFailed, dkimMultiple, dkimNxdomainAboveKey, dkimSelectorMissing, dkimSelectorsUnknown } from './lookup.js';
import { dkimKeyHashUnusable, dkimKeyInvalid, dkimKeyNotForEmail, dkimKeyRevoked, dkimKeyTooLong, dkimKeyTooShort, dkimKeyTypeUnknown, dkimSyntax, dkimTesting } from './key.js';

export const dkimRules = [
  dkimSelectorMissing, dkimCnameBroken, dkimMultiple, dkimSyntax, dkimKeyTypeUnknown, dkimKeyInvalid, dkimKeyRevoked, dkimKeyTooShort,
  dkimKeyTooLong, dkimKeyHashUnusable, dkimKeyNotForEmail, dkimTesting, dkimNxdomainAboveKey, dkimSelectorsUnknown, dkimLookupFailed,
];

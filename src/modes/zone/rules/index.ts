import { relativeExchangeMissing, zoneExternalNotChecked } from './exchanges.js';
import { cnameAndOtherData, rrsetTtlMismatch } from './rrsets.js';
import { mxPreferenceMissing, mxPreferenceRange, zoneSyntax, zoneTtlMissing, zoneWithoutSoa } from './zone-file.js';
import { ownerOriginTwice, spfSplit, txtUnquoted } from './written.js';
import type { ZoneRule } from './zone-rule.js';
import { zoneApexNoMail } from './mail-owners.js';
import { zoneSuppressionInvalid } from '../suppressions.js';

/** The rules run on every zone file as a whole; the reader's own problems come with them (readerFindings). */
export const zoneRules: readonly ZoneRule[] = [
  zoneWithoutSoa, rrsetTtlMismatch, cnameAndOtherData, relativeExchangeMissing, ownerOriginTwice, txtUnquoted, spfSplit,
];

/** The catalog entries of zone mode; mx-target-missing-dot belongs to the MX family's. */
export const zoneRuleCatalog = [
  zoneSyntax, zoneTtlMissing, mxPreferenceMissing, mxPreferenceRange, rrsetTtlMismatch.meta, cnameAndOtherData.meta,
  ownerOriginTwice.meta, txtUnquoted.meta, spfSplit.meta, zoneExternalNotChecked.meta, zoneApexNoMail.meta, zoneSuppressionInvalid,
] as const;

export { readerFindings } from './zone-file.js';
export { collapseNotChecked, notAskedInMailFacts, unasked, zoneExternalNotChecked } from './exchanges.js';
export type { OwnedFinding, ZoneFacts, ZoneRule } from './zone-rule.js';

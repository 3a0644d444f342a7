import type { RecordPlace } from '../../core/family.js';

/** Where a family's one record is (`recordPlace`); none when the name is unknown or there is not exactly one. */
export function singleRecordPlace(name: string | undefined, records: readonly string[] | undefined): RecordPlace | undefined {
  return name === undefined || records?.length !== 1 ? undefined : { name, text: records[0]! };
}

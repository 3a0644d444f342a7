/**
 * docs/result.schema.json, compiled with Ajv (JSON Schema 2020-12), for tests that hold real output to it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { REPO_ROOT } from './e2e.js';

export interface ResultSchema {
  $id: string;
  title: string;
  $defs: Record<string, { enum?: unknown[] }>;
}

export const RESULT_SCHEMA_PATH = join(REPO_ROOT, 'docs', 'result.schema.json');
export const resultSchema = JSON.parse(readFileSync(RESULT_SCHEMA_PATH, 'utf8')) as ResultSchema;

// Strict, so a mistake in the schema itself (an unknown keyword, a keyword for the wrong type) fails
// the test; strictRequired stays off: it cannot see the properties an if/then's `required` names
// one level up.
const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false });
ajv.addSchema(resultSchema);

/**
 * The validator of one definition (`JsonOutput`, `JsonlLine`, `SpfCommandOutput`, `RuleCatalog`, …),
 * or of the root (one domain result) without a name.
 */
export function schemaValidator(name?: string): ValidateFunction {
  const validate = ajv.getSchema(name === undefined ? resultSchema.$id : `${resultSchema.$id}#/$defs/${name}`);
  assert.ok(validate, `docs/result.schema.json has ${name ?? 'a root schema'}`);
  return validate;
}

export function schemaErrors(validate: ValidateFunction): string {
  return ajv.errorsText(validate.errors, { separator: '\n  ' });
}

/** Asserts `data` validates, naming every error otherwise. */
export function assertMatchesSchema(validate: ValidateFunction, data: unknown, what: string): void {
  assert.ok(validate(data), `${what} does not match docs/result.schema.json:\n  ${schemaErrors(validate)}`);
}

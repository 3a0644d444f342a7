/**
 * The catalog's conventions, which the reporters rely on: every rule has messages; a message says
 * what was found and cites no RFC (the finding's rfc does); a fix is one clause without a final
 * period (reporters write "Fix: …."); message ids are camelCase and placeholders are filled.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from '../../src/catalog/rules.js';
import { fillTemplate } from '../../src/core/rule.js';
import { RULE_SEVERITIES } from '../../src/core/rule-ids.js';

test('every rule has messages, each with an id in camelCase', () => {
  for (const rule of rules) {
    const ids = Object.keys(rule.messages);
    assert.ok(ids.length > 0, `${rule.id} has no messages`);
    for (const id of ids) assert.match(id, /^[a-z][A-Za-z0-9]*$/, `${rule.id}: message id ${id}`);
  }
});

test('messages cite no RFC and fixes end without a period', () => {
  for (const rule of rules) {
    assert.doesNotMatch(rule.fix, /\.$/, `${rule.id}: meta.fix ends with a period`);
    for (const [id, spec] of Object.entries(rule.messages)) {
      const message = typeof spec === 'string' ? spec : spec.message;
      assert.doesNotMatch(message, /\bRFC \d{3,4}\b/, `${rule.id}/${id} cites an RFC in its message`);
      if (typeof spec !== 'string') assert.doesNotMatch(spec.fix, /\.$/, `${rule.id}/${id}: its fix ends with a period`);
    }
  }
});

test('a template with a placeholder left unfilled is a bug that says so', () => {
  assert.equal(fillTemplate('{{a}} and {{b}}', { a: 1, b: 'two' }), '1 and two');
  assert.throws(() => fillTemplate('{{a}} and {{b}}', { a: 1 }), /no value for \{\{b\}\}/);
});

test('src/core/rule-ids.ts (what settings naming rules are checked against) is what `npm run docs` generates from the catalog', () => {
  assert.deepEqual([...RULE_SEVERITIES], rules.map((rule) => [rule.id, rule.severities ? Object.keys(rule.severities) : [rule.severity]]));
});

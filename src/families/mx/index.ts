import { defineFamily } from '../../core/family.js';
import type { CheckContext } from '../../facts/context.js';
import { mxRules } from './rules/index.js';

/**
 * MX: the domain's MX records, their exchanges, aliases and addresses. Its facts are the MailFacts
 * every check gathers first, and what it shows is every result's own `mx` and `implicit` fields.
 */
export const mxFamily = defineFamily({
  name: 'mx',
  summary: "the domain's MX records, their exchanges' names, aliases and addresses, the null MX and the implicit MX",
  collect: async ({ mail }: CheckContext) => mail,
  rules: mxRules,
  section: () => undefined,
  text: () => [],
});

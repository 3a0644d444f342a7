import { defineFamily } from '../../core/family.js';
import { smtpFactsFor } from '../../facts/smtp-probes.js';
import { smtpRules } from './rules/index.js';
import { smtpSection } from './section.js';
import { smtpLines } from './text.js';

export const smtpFamily = defineFamily({
  name: 'smtp',
  summary: 'every exchange address probed up to STARTTLS and QUIT, never MAIL FROM: greeting, EHLO, TLS, certificate (opt-in: it connects)',
  collect: smtpFactsFor,
  rules: smtpRules,
  section: smtpSection,
  text: smtpLines,
});

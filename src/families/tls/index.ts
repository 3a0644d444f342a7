import { defineFamily } from '../../core/family.js';
import { collectTlsFacts } from './collect.js';
import { tlsRules } from './rules.js';
import { tlsSection } from './section.js';
import { tlsLines } from './text.js';

export const tlsFamily = defineFamily({
  name: 'tls',
  summary: 'the TLS of every exchange address in depth — versions, cipher suites and their order, key exchange, certificate key, signature and chain, OCSP — graded against --tls-profile (opt-in: dozens of handshakes per address)',
  collect: collectTlsFacts,
  rules: tlsRules,
  section: tlsSection,
  text: tlsLines,
});

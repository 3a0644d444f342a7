import { defineFamily } from '../../core/family.js';
import { singleRecordPlace } from '../common/record-place.js';
import type { CheckContext } from '../../facts/context.js';
import { DEFAULT_HTTPS_TIMEOUT_MS } from '../../facts/https-resource.js';
import { connectPolicy } from '../../net/route.js';
import { collectBimiFacts, DEFAULT_BIMI_SELECTOR } from './collect.js';
import { bimiRules } from './rules.js';
import { bimiSection } from './section.js';
import { bimiLines } from './text.js';

export const bimiFamily = defineFamily({
  name: 'bimi',
  summary: 'the BIMI record at SELECTOR._bimi.DOMAIN, its SVG Tiny PS logo and Mark Certificate fetched over HTTPS, and the DMARC enforcement BIMI requires: connections beyond DNS, so only when asked for',
  collect: ({ lookups, mail, options, signal }: CheckContext) => collectBimiFacts(lookups, mail, {
    selector: options.bimiSelector ?? DEFAULT_BIMI_SELECTOR,
    connect: connectPolicy(options),
    ca: options.ca ?? [],
    timeoutMs: options.httpsTimeoutMs ?? DEFAULT_HTTPS_TIMEOUT_MS,
    signal,
  }),
  rules: bimiRules,
  section: bimiSection,
  text: bimiLines,
  recordPlace: ({ name, records }) => singleRecordPlace(name, records),
});

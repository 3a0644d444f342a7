import { defineFamily } from '../../core/family.js';
import type { CheckContext } from '../../facts/context.js';
import { connectPolicy } from '../../net/route.js';
import { DEFAULT_HTTPS_TIMEOUT_MS } from '../../facts/https-resource.js';
import { singleRecordPlace } from '../common/record-place.js';
import { collectMtaStsFacts, mtaStsName } from './collect.js';
import { mtaStsRules } from './rules.js';
import { mtaStsSection } from './section.js';
import { mtaStsLines } from './text.js';

export const mtaStsFamily = defineFamily({
  name: 'mta-sts',
  summary: 'the _mta-sts record and the policy fetched over HTTPS from mta-sts.DOMAIN (RFC 8461): a connection beyond DNS, so only when asked for',
  collect: ({ lookups, mail, options, signal }: CheckContext) => collectMtaStsFacts(lookups, mail, {
    connect: connectPolicy(options),
    ca: options.ca ?? [],
    timeoutMs: options.httpsTimeoutMs ?? DEFAULT_HTTPS_TIMEOUT_MS,
    signal,
  }),
  rules: mtaStsRules,
  section: mtaStsSection,
  text: mtaStsLines,
  recordPlace: ({ records }, domain) => singleRecordPlace(mtaStsName(domain), records),
});

import { answerQuestion, type AuthoritativeAnswer } from '../../dns/zone-data/answer.js';
import type { ServedData } from '../../dns/zone-data/served-data.js';
import type { Lookup, LookupFailure, LookupSource, LookupSourceOptions } from '../../dns/lookup.js';
import { LruMap } from '../../dns/lru.js';
import { canonicalName } from '../../dns/name.js';
import type { Question } from '../../dns/message.js';

/** Where names outside the zone files go: a live source (the resolver), or nowhere (`--offline`). */
export type OutsideSource = LookupSource | 'offline';

const FROM_ZONE_FLAGS = { aa: true, tc: false, rd: false, ra: false, ad: false, cd: false };

/**
 * Answers from the zone files kept for the questions asked last, each handed out again as the same
 * object: a zone's owners ask the same few names (the shared exchanges, an SPF include, the apex's
 * DMARC record) hundreds of thousands of times, and what is built from an answer is kept with it
 * (followChain). Least recently asked first out.
 */
export const MAX_ZONE_ANSWERS_KEPT = 1024;

/**
 * Answers questions about names inside the zone files exactly as their authoritative servers would
 * (CNAME, NODATA, NXDOMAIN, wildcards), and hands every other question — names outside the zones,
 * or below a delegation in them — to the outside source, or leaves it unasked when offline.
 */
export class ZoneLookupSource implements LookupSource {
  constructor(
    private readonly data: ServedData,
    private readonly outside: OutsideSource,
    /** Names the zone files in answers: "zone files db.example.com, db.example.net". */
    private readonly label: string,
  ) {}

  /** Answers from the zone files by type and name. */
  private readonly answered = new LruMap<string, Lookup>(MAX_ZONE_ANSWERS_KEPT);

  lookup(name: string, type: string, options: LookupSourceOptions = {}): Promise<Lookup> {
    const question: Question = { name: canonicalName(name), type: type.toUpperCase() };
    const key = `${question.type} ${question.name}`;
    const kept = this.answered.get(key);
    if (kept !== undefined) return Promise.resolve(kept);
    if (this.data.zoneFor(question.name, question.type) === undefined) return this.askOutside(question, options);
    const answer = answerQuestion(this.data, question.name, question.type);
    if (isReferral(answer)) return this.askOutside(question, options);
    const lookup = this.fromZone(question, answer);
    this.answered.set(key, lookup);
    return Promise.resolve(lookup);
  }

  private askOutside(question: Question, options: LookupSourceOptions): Promise<Lookup> {
    if (this.outside === 'offline') return Promise.resolve(notAsked(question));
    return this.outside.lookup(question.name, question.type, options);
  }

  private fromZone(question: Question, answer: AuthoritativeAnswer): Lookup {
    if (answer.rcode !== 'NOERROR' && answer.rcode !== 'NXDOMAIN') {
      // YXDOMAIN: a DNAME substitution longer than a name can be (RFC 6672 §2.2).
      return {
        ok: false, question, kind: 'rcode', rcode: answer.rcode, extendedErrors: [], durationMs: 0, server: this.label,
        message: `${question.type} ${question.name}: ${answer.rcode} from ${this.label}`,
      };
    }
    return {
      ok: true, question, rcode: answer.rcode, answers: answer.answers, authorities: answer.authorities,
      additionals: answer.additionals, flags: FROM_ZONE_FLAGS, extendedErrors: [], server: this.label,
      transport: 'zone', durationMs: 0,
    };
  }
}

/** A referral: the name lies below a zone cut, so the data is the child zone's, not in these files. */
function isReferral(answer: AuthoritativeAnswer): boolean {
  return !answer.authoritative && answer.answers.length === 0;
}

export function notAsked(question: Question): LookupFailure {
  return {
    ok: false, question, kind: 'not-asked', extendedErrors: [], durationMs: 0,
    message: `${question.type} ${question.name}: outside the zone files checked, and --offline asks no server`,
  };
}

/** Passes questions on, keeping those left unasked (offline) to report what was not checked. */
export class NotAskedRecorder implements LookupSource {
  readonly questions: Question[] = [];

  constructor(private readonly inner: LookupSource) {}

  async lookup(name: string, type: string, options?: LookupSourceOptions): Promise<Lookup> {
    const lookup = await this.inner.lookup(name, type, options);
    if (!lookup.ok && lookup.kind === 'not-asked') this.questions.push(lookup.question);
    return lookup;
  }
}

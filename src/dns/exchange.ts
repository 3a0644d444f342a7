import type { DecodedResponse, QueryFlags, Question } from './message.js';
import type { Cancellation } from './lookup.js';
import type { ServerAddress } from './server-address.js';

/** One query sent once to one server, over one transport. */
export interface ExchangeRequest {
  server: ServerAddress;
  question: Question;
  flags: QueryFlags;
  timeoutMs: number;
  /** Aborted: the attempt ends at once ('aborted'), and waits for nothing more. */
  signal?: Cancellation;
}

/** What a single attempt ended with; the resolver turns these into a lookup result. */
export type ExchangeOutcome =
  | { kind: 'reply'; response: DecodedResponse }
  | { kind: 'timeout' }
  | { kind: 'network'; reason: string }
  /** Nothing listens there: an ICMP port unreachable (UDP) or a refused connection (TCP). Not worth another try. */
  | { kind: 'refused'; reason: string }
  /** The request's signal was aborted before a reply came. */
  | { kind: 'aborted' }
  | { kind: 'malformed'; reason: string };

/** Counters a run can report: how much was sent and what came back that did not belong. */
export interface TransportStats {
  udpQueries: number;
  tcpQueries: number;
  /** Replies dropped because their id, source or question matched no query in flight (spoofing, stale). */
  ignoredReplies: number;
}

export function newTransportStats(): TransportStats {
  return { udpQueries: 0, tcpQueries: 0, ignoredReplies: 0 };
}

/** OpenSSL's error queue as Node puts it in messages: `…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:file.c:350:`. */
const OPENSSL_ERROR = /error:[0-9A-F]+:[^:\n]*:[^:\n]*:([^:\n]+)/g;

/**
 * Why a TLS connection failed, in one line: OpenSSL's reasons ("wrong version number") without the
 * error queue around them, which names source files and lines and ends in a line break; any other
 * message with its line breaks made spaces.
 */
export function tlsFailureReason(error: Error): string {
  const reasons = [...new Set([...error.message.matchAll(OPENSSL_ERROR)].map((match) => match[1]!.trim()))];
  return reasons.length > 0 ? reasons.join('; ') : error.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

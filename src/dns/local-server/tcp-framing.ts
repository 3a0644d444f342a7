/** RFC 1035 §4.2.2: over TCP each message is preceded by its length in two octets. */

const LENGTH_PREFIX = 2;

export function frame(message: Uint8Array): Buffer {
  const framed = Buffer.alloc(LENGTH_PREFIX + message.length);
  framed.writeUInt16BE(message.length, 0);
  framed.set(message, LENGTH_PREFIX);
  return framed;
}

/** Collects a stream's chunks, however they are cut, into whole messages. */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** The messages this chunk completes, in order; an incomplete tail waits for the next chunk. */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    while (this.pending.length >= LENGTH_PREFIX) {
      const end = LENGTH_PREFIX + this.pending.readUInt16BE(0);
      if (this.pending.length < end) break;
      messages.push(this.pending.subarray(LENGTH_PREFIX, end));
      this.pending = this.pending.subarray(end);
    }
    return messages;
  }
}

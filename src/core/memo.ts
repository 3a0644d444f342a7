/**
 * What a pure function made of a key, remembered while the run meets the key again: a bulk run reads
 * the same providers' names, addresses and records in domain after domain. Bounded the simple way:
 * past `capacity` keys it starts afresh, so its memory stays flat and the frequent keys come straight
 * back. A value is shared by every caller that asks for its key, so it is never changed.
 */
export class Memo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(readonly capacity: number, private readonly make: (key: K) => V) {}

  get(key: K): V {
    let value = this.values.get(key);
    if (value === undefined) {
      if (this.values.size >= this.capacity) this.values.clear();
      value = this.make(key);
      this.values.set(key, value);
    }
    return value;
  }
}

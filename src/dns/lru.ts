interface Node<K, V> {
  key: K;
  value: V;
  newer: Node<K, V> | null;
  older: Node<K, V> | null;
}

/**
 * A map bounded to `capacity` entries that drops the least recently used first. Recency lives in a
 * linked list rather than in a Map's insertion order: re-inserting a key on every hit (the usual
 * Map trick) slows V8's hash table to tens of microseconds per hit once it holds ~100,000 entries.
 */
export class LruMap<K, V> {
  private readonly nodes = new Map<K, Node<K, V>>();
  private newest: Node<K, V> | null = null;
  private oldest: Node<K, V> | null = null;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.nodes.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    this.unlink(node);
    this.pushNewest(node);
    return node.value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    const existing = this.nodes.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.unlink(existing);
      this.pushNewest(existing);
      return;
    }
    const node: Node<K, V> = { key, value, newer: null, older: null };
    this.nodes.set(key, node);
    this.pushNewest(node);
    if (this.nodes.size > this.capacity) this.delete(this.oldest!.key);
  }

  delete(key: K): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    this.nodes.delete(key);
    this.unlink(node);
  }

  private unlink(node: Node<K, V>): void {
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    node.newer = null;
    node.older = null;
  }

  private pushNewest(node: Node<K, V>): void {
    node.older = this.newest;
    if (this.newest) this.newest.newer = node;
    this.newest = node;
    this.oldest ??= node;
  }
}

/**
 * A persistent sorted map from pfn (or any integer key) to a value: every
 * update returns a new map and leaves the old one as it was. It is a list of
 * leaves of at most LEAF entries, so an update copies the leaves it touches
 * and the leaf list (n / LEAF references), never every entry: the buddy
 * allocator updates its maps once per freed step, tens of thousands of times
 * in a big boot, and must stay linear.
 */
interface Leaf<V> {
  readonly keys: readonly number[];
  readonly values: readonly V[];
}

const LEAF = 64;

export class PfnMap<V> {
  private constructor(private readonly leaves: readonly Leaf<V>[]) {}

  static empty<V>(): PfnMap<V> {
    return new PfnMap<V>([]);
  }

  get size(): number {
    return this.leaves.reduce((a, l) => a + l.keys.length, 0);
  }

  get(key: number): V | undefined {
    const leaf = this.leaves[this.leafOf(key)];
    if (!leaf) return undefined;
    const i = lowerBound(leaf.keys, key);
    return leaf.keys[i] === key ? leaf.values[i] : undefined;
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** The entry with the greatest key <= key. */
  floor(key: number): [number, V] | undefined {
    let li = this.leafOf(key);
    if (li === this.leaves.length || this.leaves[li].keys[0] > key) li--;
    if (li < 0) return undefined;
    const leaf = this.leaves[li];
    const i = lowerBound(leaf.keys, key + 1) - 1;
    return [leaf.keys[i], leaf.values[i]];
  }

  /** Entries with lo <= key < hi, in key order. */
  range(lo: number, hi: number): [number, V][] {
    const out: [number, V][] = [];
    for (let li = this.leafOf(lo); li < this.leaves.length; li++) {
      const { keys, values } = this.leaves[li];
      for (let i = lowerBound(keys, lo); i < keys.length; i++) {
        if (keys[i] >= hi) return out;
        out.push([keys[i], values[i]]);
      }
    }
    return out;
  }

  set(key: number, value: V): PfnMap<V> {
    return this.replace(key, key + 1, [[key, value]]);
  }

  delete(key: number): PfnMap<V> {
    return this.has(key) ? this.replace(key, key + 1, []) : this;
  }

  /** This map with its entries lo <= key < hi replaced by `entries` (sorted, every key in [lo, hi)). */
  replace(lo: number, hi: number, entries: readonly (readonly [number, V])[]): PfnMap<V> {
    const keys: number[] = [];
    const values: V[] = [];
    const push = (leaf: Leaf<V>, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        keys.push(leaf.keys[i]);
        values.push(leaf.values[i]);
      }
    };
    const fresh = { keys: entries.map((e) => e[0]), values: entries.map((e) => e[1]) };
    if (this.leaves.length === 0) return new PfnMap(split(fresh.keys, fresh.values));
    // Keys in [lo, hi) lie in leaves first..last: only first keeps keys below lo, only last keys from hi on.
    const first = Math.min(this.leafOf(lo), this.leaves.length - 1);
    let last = Math.max(first, Math.min(this.leafOf(hi - 1), this.leaves.length - 1));
    const a = this.leaves[first];
    const b = this.leaves[last];
    push(a, 0, lowerBound(a.keys, lo));
    push(fresh, 0, fresh.keys.length);
    push(b, lowerBound(b.keys, hi), b.keys.length);
    // A small leaf absorbs its right neighbour, so leaves stay at least LEAF / 4 full.
    if (keys.length < LEAF / 4 && last + 1 < this.leaves.length) push(this.leaves[++last], 0, this.leaves[last].keys.length);
    return new PfnMap([...this.leaves.slice(0, first), ...split(keys, values), ...this.leaves.slice(last + 1)]);
  }

  /** Index of the first leaf whose last key is >= key (the leaf that holds key, or would). */
  private leafOf(key: number): number {
    let lo = 0;
    let hi = this.leaves.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const keys = this.leaves[mid].keys;
      if (keys[keys.length - 1] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Index of the first key >= key. */
function lowerBound(keys: readonly number[], key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Entries cut into leaves of equal size, at most LEAF each. */
function split<V>(keys: readonly number[], values: readonly V[]): Leaf<V>[] {
  const n = Math.ceil(keys.length / LEAF);
  const out: Leaf<V>[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor((k * keys.length) / n);
    const to = Math.floor(((k + 1) * keys.length) / n);
    out.push({ keys: keys.slice(from, to), values: values.slice(from, to) });
  }
  return out;
}

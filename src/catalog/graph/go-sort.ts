// Go's sort.Slice (pattern-defeating quicksort, Go ≥ 1.19) ported step for step, so that an unstable sort puts
// equal elements where opm puts them: render-graph sorts channels by name and entries by version with it.

/** The pseudo-random source of breakPatterns: xorshift64 seeded with the length (deterministic, like Go's). */
export type XorshiftVariant = 'go1.24' | 'go1.19';

const MASK64 = (1n << 64n) - 1n;

function createXorshift(seed: number, variant: XorshiftVariant): () => bigint {
  let r = BigInt(seed);
  // Go 1.24 fixed the shift triple (golang/go#70144) from 13/17/5 to 13/7/17; opm v1.73 is built with Go 1.26.
  const [a, b, c] = variant === 'go1.24' ? [13n, 7n, 17n] : [13n, 17n, 5n];
  return () => {
    r ^= (r << a) & MASK64;
    r ^= r >> b;
    r ^= (r << c) & MASK64;
    return r;
  };
}

/** bits.Len: the number of bits needed to represent n (0 for 0). */
function bitLength(n: number): number {
  return n === 0 ? 0 : 32 - Math.clz32(n);
}

const INCREASING = 1;
const DECREASING = 2;
const UNKNOWN = 0;

class PdqSorter<T> {
  constructor(
    private readonly a: T[],
    private readonly lessFn: (x: T, y: T) => boolean,
    private readonly variant: XorshiftVariant,
  ) {}

  less(i: number, j: number): boolean {
    return this.lessFn(this.a[i]!, this.a[j]!);
  }

  swap(i: number, j: number): void {
    const t = this.a[i]!;
    this.a[i] = this.a[j]!;
    this.a[j] = t;
  }

  insertionSort(lo: number, hi: number): void {
    for (let i = lo + 1; i < hi; i++) {
      for (let j = i; j > lo && this.less(j, j - 1); j--) this.swap(j, j - 1);
    }
  }

  siftDown(lo: number, hi: number, first: number): void {
    let root = lo;
    for (;;) {
      let child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && this.less(first + child, first + child + 1)) child++;
      if (!this.less(first + root, first + child)) return;
      this.swap(first + root, first + child);
      root = child;
    }
  }

  heapSort(lo: number, hi: number): void {
    const first = lo;
    const n = hi - lo;
    for (let i = Math.trunc((n - 1) / 2); i >= 0; i--) this.siftDown(i, n, first);
    for (let i = n - 1; i >= 0; i--) {
      this.swap(first, first + i);
      this.siftDown(0, i, first);
    }
  }

  pdqsort(lo: number, hi: number, limit: number): void {
    const maxInsertion = 12;
    let wasBalanced = true;
    let wasPartitioned = true;
    for (;;) {
      const length = hi - lo;
      if (length <= maxInsertion) {
        this.insertionSort(lo, hi);
        return;
      }
      if (limit === 0) {
        this.heapSort(lo, hi);
        return;
      }
      if (!wasBalanced) {
        this.breakPatterns(lo, hi);
        limit--;
      }
      let [pivot, hint] = this.choosePivot(lo, hi);
      if (hint === DECREASING) {
        this.reverseRange(lo, hi);
        pivot = hi - 1 - (pivot - lo);
        hint = INCREASING;
      }
      if (wasBalanced && wasPartitioned && hint === INCREASING) {
        if (this.partialInsertionSort(lo, hi)) return;
      }
      if (lo > 0 && !this.less(lo - 1, pivot)) {
        lo = this.partitionEqual(lo, hi, pivot);
        continue;
      }
      const [mid, alreadyPartitioned] = this.partition(lo, hi, pivot);
      wasPartitioned = alreadyPartitioned;
      const leftLen = mid - lo;
      const rightLen = hi - mid;
      const balanceThreshold = Math.trunc(length / 8);
      if (leftLen < rightLen) {
        wasBalanced = leftLen >= balanceThreshold;
        this.pdqsort(lo, mid, limit);
        lo = mid + 1;
      } else {
        wasBalanced = rightLen >= balanceThreshold;
        this.pdqsort(mid + 1, hi, limit);
        hi = mid;
      }
    }
  }

  partition(lo: number, hi: number, pivot: number): [number, boolean] {
    this.swap(lo, pivot);
    let i = lo + 1;
    let j = hi - 1;
    while (i <= j && this.less(i, lo)) i++;
    while (i <= j && !this.less(j, lo)) j--;
    if (i > j) {
      this.swap(j, lo);
      return [j, true];
    }
    this.swap(i, j);
    i++;
    j--;
    for (;;) {
      while (i <= j && this.less(i, lo)) i++;
      while (i <= j && !this.less(j, lo)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    this.swap(j, lo);
    return [j, false];
  }

  partitionEqual(lo: number, hi: number, pivot: number): number {
    this.swap(lo, pivot);
    let i = lo + 1;
    let j = hi - 1;
    for (;;) {
      while (i <= j && !this.less(lo, i)) i++;
      while (i <= j && this.less(lo, j)) j--;
      if (i > j) break;
      this.swap(i, j);
      i++;
      j--;
    }
    return i;
  }

  partialInsertionSort(lo: number, hi: number): boolean {
    const maxSteps = 5;
    const shortestShifting = 50;
    let i = lo + 1;
    for (let step = 0; step < maxSteps; step++) {
      while (i < hi && !this.less(i, i - 1)) i++;
      if (i === hi) return true;
      if (hi - lo < shortestShifting) return false;
      this.swap(i, i - 1);
      if (i - lo >= 2) {
        // Go's loop runs down to index 1 of the whole slice, not of [lo, hi): kept as is.
        for (let j = i - 1; j >= 1; j--) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
      if (hi - i >= 2) {
        for (let j = i + 1; j < hi; j++) {
          if (!this.less(j, j - 1)) break;
          this.swap(j, j - 1);
        }
      }
    }
    return false;
  }

  breakPatterns(lo: number, hi: number): void {
    const length = hi - lo;
    if (length < 8) return;
    const next = createXorshift(length, this.variant);
    const modulus = BigInt(2 ** bitLength(length));
    const middle = lo + Math.trunc(length / 4) * 2;
    for (let idx = middle - 1; idx <= middle + 1; idx++) {
      let other = Number(next() & (modulus - 1n));
      if (other >= length) other -= length;
      this.swap(idx, lo + other);
    }
  }

  choosePivot(lo: number, hi: number): [number, number] {
    const shortestNinther = 50;
    const maxSwaps = 4 * 3;
    const l = hi - lo;
    const swaps = { n: 0 };
    const quarter = Math.trunc(l / 4);
    let i = lo + quarter;
    let j = lo + quarter * 2;
    let k = lo + quarter * 3;
    if (l >= 8) {
      if (l >= shortestNinther) {
        i = this.median(i - 1, i, i + 1, swaps);
        j = this.median(j - 1, j, j + 1, swaps);
        k = this.median(k - 1, k, k + 1, swaps);
      }
      j = this.median(i, j, k, swaps);
    }
    if (swaps.n === 0) return [j, INCREASING];
    if (swaps.n === maxSwaps) return [j, DECREASING];
    return [j, UNKNOWN];
  }

  median(a: number, b: number, c: number, swaps: { n: number }): number {
    [a, b] = this.order2(a, b, swaps);
    [b, c] = this.order2(b, c, swaps);
    [a, b] = this.order2(a, b, swaps);
    return b;
  }

  order2(a: number, b: number, swaps: { n: number }): [number, number] {
    if (this.less(b, a)) {
      swaps.n++;
      return [b, a];
    }
    return [a, b];
  }

  reverseRange(lo: number, hi: number): void {
    for (let i = lo, j = hi - 1; i < j; i++, j--) this.swap(i, j);
  }
}

/**
 * Sorts `items` in place as Go's `sort.Slice(items, less)` does, including where equal elements end up
 * (the sort is not stable: up to 12 elements it is insertion sort, which is; beyond that it is pdqsort).
 */
export function sortSliceGo<T>(items: T[], less: (a: T, b: T) => boolean, variant: XorshiftVariant = 'go1.24'): T[] {
  const n = items.length;
  new PdqSorter(items, less, variant).pdqsort(0, n, bitLength(n));
  return items;
}

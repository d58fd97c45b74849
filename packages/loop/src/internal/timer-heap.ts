/**
 * A binary min-heap of timer handles ordered by deadline, then by scheduling order. The keys
 * are mirrored in typed arrays beside the handles, so that sifting compares numbers in
 * contiguous memory instead of chasing a pointer to each handle (a 100k-timer heap is mostly
 * cache misses otherwise).
 */
import type { TimerHandle } from '../handle';

export class TimerHeap {
  private items: TimerHandle[] = [];
  private whens = new Float64Array(64);
  private seqs = new Float64Array(64);

  get size(): number {
    return this.items.length;
  }

  peek(): TimerHandle | undefined {
    return this.items[0];
  }

  /** The earliest deadline (Infinity when empty), read without touching the handle. */
  peekWhen(): number {
    return this.items.length === 0 ? Number.POSITIVE_INFINITY : this.whens[0]!;
  }

  push(handle: TimerHandle): void {
    const i = this.items.length;
    if (i === this.whens.length) this.grow();
    this.items.push(handle);
    this.siftUp(i, handle, handle._when, handle._seq);
  }

  pop(): TimerHandle | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) this.siftDown(0, last, last._when, last._seq);
    return top;
  }

  /** Drops every handle `keep` rejects and restores heap order in O(n). */
  filter(keep: (handle: TimerHandle) => boolean): void {
    const kept = this.items.filter(keep);
    this.items = kept;
    for (let i = 0; i < kept.length; i++) {
      this.whens[i] = kept[i]!._when;
      this.seqs[i] = kept[i]!._seq;
    }
    for (let i = (kept.length >> 1) - 1; i >= 0; i--) {
      const handle = kept[i]!;
      this.siftDown(i, handle, handle._when, handle._seq);
    }
  }

  clear(): TimerHandle[] {
    const all = this.items;
    this.items = [];
    return all;
  }

  private grow(): void {
    const whens = new Float64Array(this.whens.length * 2);
    whens.set(this.whens);
    this.whens = whens;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }

  private siftUp(start: number, handle: TimerHandle, when: number, seq: number): void {
    const { items, whens, seqs } = this;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pw = whens[parent]!;
      if (pw < when || (pw === when && seqs[parent]! < seq)) break;
      items[i] = items[parent]!;
      whens[i] = pw;
      seqs[i] = seqs[parent]!;
      i = parent;
    }
    items[i] = handle;
    whens[i] = when;
    seqs[i] = seq;
  }

  private siftDown(start: number, handle: TimerHandle, when: number, seq: number): void {
    const { items, whens, seqs } = this;
    const n = items.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        (whens[right]! < whens[child]! || (whens[right] === whens[child] && seqs[right]! < seqs[child]!))
      ) {
        child = right;
      }
      const cw = whens[child]!;
      if (when < cw || (when === cw && seq < seqs[child]!)) break;
      items[i] = items[child]!;
      whens[i] = cw;
      seqs[i] = seqs[child]!;
      i = child;
    }
    items[i] = handle;
    whens[i] = when;
    seqs[i] = seq;
  }
}

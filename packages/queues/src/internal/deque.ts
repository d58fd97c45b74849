/**
 * `Deque`: a growable ring buffer, the storage of `Queue` and the line of its blocked getters
 * and putters: O(1) at both ends, no `Array.prototype.shift` copying.
 */
export class Deque<T> {
  #items: (T | undefined)[] = new Array(16);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & (this.#items.length - 1)] = item;
    this.#size++;
  }

  /** Adds `item` at the front. */
  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#head = (this.#head - 1) & (this.#items.length - 1);
    this.#items[this.#head] = item;
    this.#size++;
  }

  /** Takes the front item (`undefined` when empty). */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#size--;
    return item;
  }

  /** Takes the back item (`undefined` when empty). */
  pop(): T | undefined {
    if (this.#size === 0) return undefined;
    this.#size--;
    const index = (this.#head + this.#size) & (this.#items.length - 1);
    const item = this.#items[index];
    this.#items[index] = undefined;
    return item;
  }

  /** Removes the first occurrence of `item`; whether it was there. O(n): for cancellations. */
  remove(item: T): boolean {
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#size; i++) {
      if (this.#items[(this.#head + i) & mask] !== item) continue;
      for (let j = i; j < this.#size - 1; j++) {
        this.#items[(this.#head + j) & mask] = this.#items[(this.#head + j + 1) & mask];
      }
      this.#items[(this.#head + this.#size - 1) & mask] = undefined;
      this.#size--;
      return true;
    }
    return false;
  }

  clear(): void {
    this.#items = new Array(16);
    this.#head = 0;
    this.#size = 0;
  }

  *[Symbol.iterator](): Iterator<T> {
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#size; i++) yield this.#items[(this.#head + i) & mask] as T;
  }

  #grow(): void {
    const old = this.#items;
    const items: (T | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.#size; i++) items[i] = old[(this.#head + i) & (old.length - 1)];
    this.#items = items;
    this.#head = 0;
  }
}

/**
 * `contextvars` for Node: `ContextVar`, `Context`, `Token`, `copyContext`, carried across
 * `await` by one AsyncLocalStorage per thread. The same storage carries the current task:
 * a task runs in a Context bound to it, so `currentTask()` stays right across native awaits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AbstractTask } from './abstract-event-loop';
import { RuntimeError } from './errors';
import { processWide } from './internal/process-wide';

type VarMap = Map<ContextVar<unknown>, unknown>;

/**
 * A mapping of context variables to values. Code runs "in" a context (`ctx.run(fn)`); each
 * task runs in a copy of the context that created it, and each loop callback in a copy of the
 * context that scheduled it. Copies are cheap: the mapping is shared until one side writes.
 */
export class Context {
  /** @internal */ _vars: VarMap;
  /** @internal */ _owned: boolean;
  /** @internal The task this context belongs to, when it is a task's running context. */
  _task: AbstractTask<unknown> | null = null;
  /** @internal The context this one shares its mapping with (a task given an explicit context). */
  _alias: Context | null = null;
  /** @internal Inside `run()` now. */
  _entered = false;

  constructor() {
    this._vars = new Map();
    this._owned = true;
  }

  /**
   * Calls `fn(...args)` with this context current, and returns its result.
   * @throws RuntimeError when called from inside this context's own `run()` (as Python).
   */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): R {
    if (typeof fn !== 'function') throw new TypeError('fn must be a function');
    if (this._entered) throw new RuntimeError('cannot enter context: it is already entered');
    const outer = callbackContext;
    callbackContext = undefined;
    this._entered = true;
    try {
      return storage.run(this, fn, ...args);
    } finally {
      this._entered = false;
      callbackContext = outer;
    }
  }

  /** A shallow copy: the same values, but later `set()` calls on either side stay on that side. */
  copy(): Context {
    const source = this._alias ?? this;
    const copy = new Context();
    copy._vars = source._vars;
    copy._owned = false;
    source._owned = false;
    return copy;
  }

  /** The value of `v` in this context, or `undefined` when it has none (its default is not used). */
  get<T>(v: ContextVar<T>): T | undefined {
    return (this._alias ?? this)._vars.get(v as ContextVar<unknown>) as T | undefined;
  }

  /** Whether `v` has a value in this context. */
  has(v: ContextVar<unknown>): boolean {
    return (this._alias ?? this)._vars.has(v);
  }

  /** The variables that have a value here. */
  keys(): IterableIterator<ContextVar<unknown>> {
    return (this._alias ?? this)._vars.keys();
  }

  /** How many variables have a value here. */
  get size(): number {
    return (this._alias ?? this)._vars.size;
  }

  /** @internal */
  _write(v: ContextVar<unknown>, value: unknown, remove: boolean): void {
    const target = this._alias ?? this;
    if (!target._owned) {
      target._vars = new Map(target._vars);
      target._owned = true;
    }
    if (remove) target._vars.delete(v);
    else target._vars.set(v, value);
  }

  /** @internal A context that shares (reads and writes) the mapping of `ctx`, without its task. */
  static _view(ctx: Context): Context {
    const view = new Context();
    view._alias = ctx._alias ?? ctx;
    return view;
  }

  /**
   * @internal The context a task runs in: a fresh copy of `base` (or of the current context), or,
   * when `shared` is true, a view of `base` itself, so that tasks given the same context share it.
   */
  static _forTask(base: Context | null, task: AbstractTask<unknown>, shared: boolean): Context {
    let ctx: Context;
    if (base !== null && shared) {
      ctx = new Context();
      ctx._alias = base._alias ?? base;
    } else {
      ctx = (base ?? currentContext()).copy();
    }
    ctx._task = task;
    return ctx;
  }
}

const storage = processWide('aio.contextStorage', () => new AsyncLocalStorage<Context>());
const root = processWide('aio.rootContext', () => new Context());

/**
 * The context of the loop callback running now. Loop callbacks are synchronous, so their
 * context is kept here instead of in the AsyncLocalStorage (whose every switch allocates on
 * newer Node): what a callback reads and writes is right; promises it starts run on in the
 * context of the loop batch, that is the root.
 */
let callbackContext: Context | undefined;
/** A context a loop callback runs in without a copy of its own: written to only after copying. */
let borrowed: Context | undefined;

/** @internal The context code runs in now (the thread's root context outside any). */
export function currentContext(): Context {
  return callbackContext ?? storage.getStore() ?? root;
}

/**
 * @internal The values of `ctx` now, frozen: later writes to `ctx` copy its mapping first.
 * An O(1) copy for a callback that may never need its own Context object.
 */
export function snapshotOf(ctx: Context): ReadonlyMap<unknown, unknown> {
  const source = ctx._alias ?? ctx;
  source._owned = false;
  return source._vars;
}

/**
 * @internal Runs a loop callback `fn(arg)` in `ctx`. With a `snapshot` (see `snapshotOf`), `ctx`
 * is the scheduler's own context: if its values are still those of the snapshot the callback
 * reads `ctx` itself, else a Context of the snapshot is made; either way its first
 * `ContextVar.set()` switches to a private copy. That is asyncio's copy per callback, paid for
 * only by callbacks whose context changed or that write. Returns the context the callback ended
 * in: `ctx`, or the Context made for it.
 */
export function runInContext<A>(
  ctx: Context,
  snapshot: ReadonlyMap<unknown, unknown> | null,
  fn: (arg: A) => void,
  arg: A,
): Context {
  const target = snapshot !== null && (ctx._alias ?? ctx)._vars !== snapshot ? contextOf(snapshot) : ctx;
  const outer = callbackContext;
  const outerBorrowed = borrowed;
  callbackContext = target;
  borrowed = snapshot === null ? undefined : target;
  let used = target;
  try {
    fn(arg);
  } finally {
    // The callback's own context if its first write made one (see `writableContext`).
    used = callbackContext ?? target;
    callbackContext = outer;
    borrowed = outerBorrowed;
  }
  return used;
}

/** @internal A Context holding the values of `snapshot` (see `snapshotOf`); it copies before writing. */
export function contextOf(snapshot: ReadonlyMap<unknown, unknown>): Context {
  const ctx = new Context();
  ctx._vars = snapshot as VarMap;
  ctx._owned = false;
  return ctx;
}

/** The current context, made private first if a callback borrows it. */
function writableContext(): Context {
  const ctx = currentContext();
  if (ctx !== borrowed) return ctx;
  const copy = ctx.copy();
  callbackContext = copy;
  borrowed = undefined;
  return copy;
}

/**
 * Whether the storage lives in async context frames (Node 24 on): there, entering a store
 * allocates a frame but going back to a captured one does not. The storage on async hooks
 * (Node 20, 22) sets a store in place, and a captured scope costs hook calls instead.
 */
const frameBased = !('kResourceStore' in storage);
/** Calls a function in the root context (captured once). */
const inRootScope: <R>(fn: () => R) => R = storage.exit(() => AsyncLocalStorage.snapshot());

/**
 * @internal Calls `fn` outside every context: it (and what it schedules) sees the root context.
 * The loop runs each batch so, so that its own scheduling never carries a task's context along
 * (which would also keep the task alive).
 */
export function runOutsideContexts(fn: () => void): void {
  if (storage.getStore() === undefined) {
    fn();
  } else if (frameBased) {
    inRootScope(fn);
  } else {
    storage.enterWith(undefined as unknown as Context);
    fn();
  }
}

/** @internal The task whose context is current, if any (the task-context carrier's read side). */
export function currentTaskFromContext(): AbstractTask<unknown> | null {
  const ctx = callbackContext ?? storage.getStore();
  return ctx === undefined ? null : ctx._task;
}

/** A copy of the current context (Python's `contextvars.copy_context()`). */
export function copyContext(): Context {
  return currentContext().copy();
}

const MISSING: unique symbol = Symbol('Token.MISSING');

/** Returned by `ContextVar.set()`; gives the value back to `reset()`. */
export class Token<T> {
  /** Marks that the variable had no value before `set()`. */
  static readonly MISSING: typeof MISSING = MISSING;
  /** @internal */ _used = false;

  /** The variable that was set. */
  readonly var: ContextVar<T>;
  /** Its value before the `set()`, or `Token.MISSING`. */
  readonly oldValue: T | typeof MISSING;
  /** @internal */ readonly _context: Context;

  /** @internal */
  constructor(variable: ContextVar<T>, oldValue: T | typeof MISSING, context: Context) {
    this.var = variable;
    this.oldValue = oldValue;
    this._context = context;
  }
}

const NO_DEFAULT: unique symbol = Symbol('no default');

/**
 * A variable whose value depends on the context the code runs in: set in a task, it is seen by
 * that task (across every `await`) and the tasks it creates, but not by its creator or siblings.
 *
 * @example
 * const requestId = new ContextVar<string>('requestId', { default: '-' });
 * requestId.set('42'); // visible in this task and the tasks it starts
 */
export class ContextVar<T> {
  readonly #default: T | typeof NO_DEFAULT;

  constructor(
    /** The variable's name, for debugging. */
    readonly name: string,
    opts?: { default?: T },
  ) {
    if (typeof name !== 'string') throw new TypeError('name must be a string');
    this.#default = opts !== undefined && 'default' in opts ? (opts.default as T) : NO_DEFAULT;
  }

  /**
   * The value in the current context, else `defaultValue` if given, else the variable's default.
   * @throws LookupError-like `RangeError` when there is none of those.
   */
  get(...fallback: [defaultValue?: T]): T {
    const vars = currentContext();
    if (vars.has(this as ContextVar<unknown>)) return vars.get(this) as T;
    if (fallback.length > 0) return fallback[0] as T;
    if (this.#default !== NO_DEFAULT) return this.#default;
    throw new RangeError(`ContextVar '${this.name}' has no value`);
  }

  /** Sets the value in the current context; the token undoes it with `reset()`. */
  set(value: T): Token<T> {
    const ctx = writableContext();
    const old = ctx.has(this as ContextVar<unknown>) ? (ctx.get(this) as T) : MISSING;
    ctx._write(this as ContextVar<unknown>, value, false);
    return new Token(this, old, ctx);
  }

  /**
   * Restores the value from before the `set()` that made `token`.
   * @throws RuntimeError if the token was used already (as Python); RangeError if it was made by
   * another variable or in another context (Python's `ValueError`).
   */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) throw new TypeError('token must be a Token');
    if (token._used) throw new RuntimeError('token has already been used once');
    if (token.var !== this) throw new RangeError('token was created by a different ContextVar');
    let ctx = currentContext();
    if ((token._context._alias ?? token._context) !== (ctx._alias ?? ctx)) {
      throw new RangeError('token was created in a different Context');
    }
    token._used = true;
    ctx = writableContext();
    if (token.oldValue === MISSING) ctx._write(this as ContextVar<unknown>, undefined, true);
    else ctx._write(this as ContextVar<unknown>, token.oldValue, false);
  }

  toString(): string {
    return `<ContextVar name=${JSON.stringify(this.name)}>`;
  }
}

/**
 * Call-graph introspection (asyncio 3.14): which tasks and futures await which. Await edges
 * are exact; stacks are best effort, since JavaScript cannot walk suspended async frames.
 */
import { type Future, isFuture } from '@aio/futures';
import { _getRunningLoop, RuntimeError } from '@aio/loop';
import { allTasks, currentTask, Task } from './task';

/** One stack line (JavaScript has no frame objects). */
export interface FrameCallGraphEntry {
  readonly frame: string;
}

/** A future, its call stack, and the graphs of those awaiting it. */
export interface FutureCallGraph {
  readonly future: Future;
  readonly callStack: readonly FrameCallGraphEntry[];
  readonly awaitedBy: readonly FutureCallGraph[];
}

/** Options of the call-graph functions. */
export interface CallGraphOptions {
  /** Stack frames to skip above the caller (default 1). */
  depth?: number;
  /** At most this many stack entries (negative: the last ones). */
  limit?: number | null;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function idOf(obj: object): string {
  let id = ids.get(obj);
  if (id === undefined) {
    id = nextId++;
    ids.set(obj, id);
  }
  return `0x${id.toString(16)}`;
}

/** The futures awaiting `future`: recorded edges plus tasks whose current waiter it is. */
function awaitersOf(future: Future<unknown>): Future<unknown>[] {
  const recorded = future._awaitedBy;
  const awaiters = new Set<Future<unknown>>(
    recorded instanceof Set ? recorded : recorded === null ? [] : [recorded],
  );
  for (const task of allTasks(future.getLoop())) {
    if (task._futWaiter === future) awaiters.add(task);
  }
  return [...awaiters];
}

function limited<T>(items: T[], limit: number | null): T[] {
  if (limit === null) return items;
  return limit >= 0 ? items.slice(0, limit) : items.slice(limit);
}

function graphFor(
  future: Future<unknown>,
  limit: number | null,
  seen: Set<Future<unknown>>,
): FutureCallGraph {
  seen.add(future);
  const awaitedBy = awaitersOf(future)
    .filter((f) => !seen.has(f))
    .map((f) => graphFor(f, limit, seen));
  return { future: future as Future, callStack: [], awaitedBy };
}

/**
 * The call graph of `future` (default: the current task): the futures and tasks awaiting it,
 * transitively. For the current task, `callStack` holds the caller's stack lines.
 * @throws RuntimeError without `future` outside a running loop; TypeError for a non-future.
 */
export function captureCallGraph(
  future: Future | null = null,
  opts: CallGraphOptions = {},
): FutureCallGraph | null {
  const { depth = 1, limit = null } = opts;
  const loop = _getRunningLoop();
  let target: Future<unknown> | null = future;
  if (target !== null) {
    if (!isFuture(target))
      throw new TypeError(`${String(target)} object does not appear to be compatible with asyncio.Future`);
    if (loop === null || target !== currentTask(loop)) return graphFor(target, limit, new Set());
  } else {
    if (loop === null) {
      throw new RuntimeError(
        'captureCallGraph() is called outside of a running event loop and no future to introspect was provided',
      );
    }
    target = currentTask(loop);
  }
  if (target === null) return null;
  const stack = (new Error().stack ?? '')
    .split('\n')
    .slice(1 + depth)
    .map((line) => ({ frame: line.trim() }));
  const graph = graphFor(target, limit, new Set());
  return { ...graph, callStack: limited(stack, limit) };
}

/** `captureCallGraph` as indented text, as asyncio's `format_call_graph`. */
export function formatCallGraph(future: Future | null = null, opts: CallGraphOptions = {}): string {
  const graph = captureCallGraph(future, { depth: (opts.depth ?? 1) + 1, limit: opts.limit ?? null });
  if (graph === null) return '';
  const lines: string[] = [];
  const render = (node: FutureCallGraph, level: number) => {
    const add = (line: string) => lines.push('    '.repeat(level) + line);
    if (node.future instanceof Task) add(`* Task(name='${node.future.getName()}', id=${idOf(node.future)})`);
    else add(`* Future(id=${idOf(node.future)})`);
    if (node.callStack.length > 0) {
      add('  + Call stack:');
      for (const entry of node.callStack) add(`  |   ${entry.frame}`);
    }
    if (node.awaitedBy.length > 0) {
      add('  + Awaited by:');
      for (const parent of node.awaitedBy) render(parent, level + 1);
    }
  };
  render(graph, 0);
  return lines.join('\n');
}

/** Prints `formatCallGraph(future)` to `file` (default `process.stdout`). */
export function printCallGraph(
  future: Future | null = null,
  opts: CallGraphOptions & { file?: { write(s: string): unknown } } = {},
): void {
  const { file = process.stdout, ...rest } = opts;
  file.write(`${formatCallGraph(future, { ...rest, depth: (rest.depth ?? 1) + 1 })}\n`);
}

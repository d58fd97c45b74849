import { Future } from '@aio/futures';
import { RuntimeError } from '@aio/loop';
import {
  captureCallGraph,
  createTask,
  currentTask,
  formatCallGraph,
  gather,
  printCallGraph,
  sleep,
  taskGroup,
} from '@aio/tasks';
import { runVirtual } from './helpers';

describe('call graph', () => {
  test('a task awaiting a task: the inner one is awaited by the outer one', async () => {
    await runVirtual(async () => {
      const inner = createTask(() => sleep(10), { name: 'inner' });
      const outer = createTask(async () => await inner, { name: 'outer' });
      await sleep(0);
      const graph = captureCallGraph(inner)!;
      expect(graph.future).toBe(inner);
      expect(graph.awaitedBy.map((g) => g.future)).toEqual([outer]);
      const text = formatCallGraph(inner);
      expect(text).toMatch(
        /^\* Task\(name='inner', id=0x[0-9a-f]+\)\n {2}\+ Awaited by:\n {4}\* Task\(name='outer', id=0x[0-9a-f]+\)/,
      );
      outer.cancel();
      await outer.catch(() => {});
    });
  });

  test('gather and TaskGroup record their edges; the current task has a call stack', async () => {
    await runVirtual(async () => {
      const child = createTask(() => sleep(10), { name: 'child' });
      const gathering = gather([child]);
      await sleep(0);
      expect(captureCallGraph(child)!.awaitedBy.map((g) => g.future)).toContain(gathering);
      gathering.cancel();
      await gathering.catch(() => {});

      await taskGroup(async (tg) => {
        const member = tg.createTask(() => sleep(1), { name: 'member' });
        expect(captureCallGraph(member)!.awaitedBy.map((g) => g.future)).toContain(currentTask());
      });

      const mine = captureCallGraph()!;
      expect(mine.future).toBe(currentTask());
      expect(mine.callStack.length).toBeGreaterThan(0);
      expect(captureCallGraph(null, { limit: 1 })!.callStack).toHaveLength(1);
    });
  });

  test('printCallGraph writes the formatted graph; a plain future renders as Future', async () => {
    await runVirtual(async () => {
      const fut = new Future();
      let written = '';
      printCallGraph(fut, { file: { write: (s: string) => (written += s) } });
      expect(written).toMatch(/^\* Future\(id=0x[0-9a-f]+\)\n$/);
    });
  });

  test('outside a loop without a future: RuntimeError; a non-future: TypeError', () => {
    expect(() => captureCallGraph()).toThrow(RuntimeError);
    expect(() => captureCallGraph({} as never)).toThrow(TypeError);
    expect(formatCallGraph).toBeDefined();
  });
});

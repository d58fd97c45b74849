import asyncio, * as pkg from '@aio/asyncio';
import * as futures from '@aio/futures';
import * as loop from '@aio/loop';
import * as policies from '@aio/policies';
import * as queues from '@aio/queues';
import * as streams from '@aio/streams';
import * as subprocessPackage from '@aio/subprocess';
import * as sync from '@aio/sync';
import * as tasks from '@aio/tasks';

// Pins the public surface: a new export must be added here on purpose.
test('@aio/asyncio exports exactly its public names', () => {
  expect(Object.keys(pkg).sort()).toEqual([
    'AF_INET',
    'AF_INET6',
    'AF_UNIX',
    'AF_UNSPEC',
    'AI_ADDRCONFIG',
    'AI_CANONNAME',
    'AI_NUMERICHOST',
    'AI_PASSIVE',
    'ALL_COMPLETED',
    'AbstractEventLoop',
    'AbstractEventLoopPolicy',
    'AbstractServer',
    'Barrier',
    'BaseEventLoop',
    'BaseProtocol',
    'BaseTransport',
    'BoundedSemaphore',
    'BrokenBarrierError',
    'BufferedProtocol',
    'CancelledError',
    'ConcurrentFuture',
    'Condition',
    'Context',
    'ContextVar',
    'DEFAULT_LIMIT',
    'DEVNULL',
    'DatagramProtocol',
    'DatagramTransport',
    'DefaultEventLoopPolicy',
    'Event',
    'EventLoop',
    'ExceptionGroup',
    'FIRST_COMPLETED',
    'FIRST_EXCEPTION',
    'FlowControl',
    'Future',
    'Handle',
    'IPPROTO_TCP',
    'IPPROTO_UDP',
    'IncompleteReadError',
    'InvalidStateError',
    'KeyboardInterrupt',
    'LifoQueue',
    'LimitOverrunError',
    'Lock',
    'NI_NUMERICHOST',
    'NI_NUMERICSERV',
    'NotImplementedError',
    'PIPE',
    'PriorityQueue',
    'Process',
    'Protocol',
    'Queue',
    'QueueEmpty',
    'QueueFull',
    'QueueShutDown',
    'ReadTransport',
    'Runner',
    'RuntimeError',
    'SOCK_DGRAM',
    'SOCK_STREAM',
    'STDOUT',
    'SelectorEventLoop',
    'Semaphore',
    'SendfileNotAvailableError',
    'Server',
    'StreamReader',
    'StreamReaderProtocol',
    'StreamWriter',
    'SubprocessProtocol',
    'SubprocessStreamProtocol',
    'SubprocessTransport',
    'Task',
    'TaskGroup',
    'ThreadPoolExecutor',
    'Timeout',
    'TimeoutError',
    'TimerHandle',
    'Token',
    'Transport',
    'VirtualTimeEventLoop',
    'WriteTransport',
    '_currentContext',
    '_currentTaskFromContext',
    '_enterTask',
    '_futureBrand',
    '_getCurrentLoopHook',
    '_getRunningLoop',
    '_hasFutureBrand',
    '_hasRunnableQueue',
    '_leaveTask',
    '_registerTask',
    '_runInContext',
    '_setCurrentLoopHook',
    '_setDefaultTaskFactory',
    '_setFutureFactory',
    '_setRunningLoop',
    '_snapshotOf',
    '_unregisterTask',
    'allTasks',
    'asCompleted',
    'cancelOnAbort',
    'captureCallGraph',
    'chainFuture',
    'copyContext',
    'createEagerTaskFactory',
    'createSubprocessExec',
    'createSubprocessShell',
    'createTask',
    'currentSignal',
    'currentTask',
    'default',
    'eagerTaskFactory',
    'ensureFuture',
    'formatCallGraph',
    'futureAddToAwaitedBy',
    'futureDiscardFromAwaitedBy',
    'gather',
    'getEventLoop',
    'getEventLoopPolicy',
    'getRunningLoop',
    'isCancellation',
    'isCoroutine',
    'isFuture',
    'logger',
    'newEventLoop',
    'newVirtualTimeEventLoop',
    'openConnection',
    'openUnixConnection',
    'printCallGraph',
    'run',
    'runCoroutineThreadsafe',
    'setEventLoop',
    'setEventLoopPolicy',
    'setLogger',
    'shield',
    'sleep',
    'startServer',
    'startUnixServer',
    'subprocess',
    'taskGroup',
    'timeout',
    'timeoutAt',
    'toThread',
    'wait',
    'waitFor',
    'wrapFuture',
  ]);
});

test('every name of every package is re-exported as itself (no name shadows another)', () => {
  const packages = { futures, loop, policies, queues, streams, subprocess: subprocessPackage, sync, tasks };
  for (const [name, exports] of Object.entries(packages)) {
    for (const [key, value] of Object.entries(exports)) {
      expect([name, key, (pkg as Record<string, unknown>)[key]]).toEqual([name, key, value]);
    }
  }
});

test('the default export is the same names, frozen', () => {
  expect(Object.isFrozen(asyncio)).toBe(true);
  const { default: _default, ...names } = pkg;
  expect({ ...asyncio }).toEqual(names);
  expect(asyncio.subprocess.PIPE).toBe(loop.PIPE);
  expect(Object.keys(asyncio.subprocess).sort()).toEqual([
    'DEVNULL',
    'PIPE',
    'Process',
    'STDOUT',
    'createSubprocessExec',
    'createSubprocessShell',
  ]);
});

test('asyncio.run with asyncio.sleep, and loops get futures and tasks from the factories', async () => {
  const result = await asyncio.run(async () => {
    const running = asyncio.getRunningLoop();
    const fut = running.createFuture<number>();
    expect(asyncio.isFuture(fut)).toBe(true);
    const task = running.createTask(async () => 'task');
    expect(task).toBeInstanceOf(asyncio.Task);
    running.callSoon(() => fut.setResult(41));
    await asyncio.sleep(0.001);
    return (await fut) + (await task).length - 4;
  });
  expect(result).toBe(41);
});

test('asyncio.run sets its loop current for getEventLoop (the policies hook is installed), and unsets it', async () => {
  const [current, running] = await asyncio.run(async () => [
    asyncio.getEventLoop(),
    asyncio.getRunningLoop(),
  ]);
  expect(current).toBe(running);
  expect(() => asyncio.getEventLoopPolicy().getEventLoop()).toThrow('There is no current event loop');
});

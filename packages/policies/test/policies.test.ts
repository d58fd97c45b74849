/** Behaviour of asyncio's policy tests (test_events.py: PolicyTests, GetEventLoopTestsMixin), 3.14. */
import {
  _getCurrentLoopHook,
  _setCurrentLoopHook,
  AbstractEventLoop,
  type CurrentLoopHook,
  EventLoop,
  getRunningLoop,
  RuntimeError,
  VirtualTimeEventLoop,
} from '@aio/loop';
import {
  AbstractEventLoopPolicy,
  DefaultEventLoopPolicy,
  getEventLoop,
  getEventLoopPolicy,
  newEventLoop,
  setEventLoop,
  setEventLoopPolicy,
} from '@aio/policies';
import { Runner, run, sleep } from '@aio/tasks';

const policyKey = Symbol.for('aio.eventLoopPolicy');
const policySlot = (globalThis as unknown as Record<symbol, { policy: AbstractEventLoopPolicy | null }>)[
  policyKey
]!;

let savedPolicy: AbstractEventLoopPolicy | null;
let savedHook: CurrentLoopHook | null;
const loopsToClose: AbstractEventLoop[] = [];

beforeEach(() => {
  savedPolicy = policySlot.policy;
  savedHook = _getCurrentLoopHook();
  policySlot.policy = null; // each test starts on a fresh default policy
});
afterEach(() => {
  policySlot.policy = savedPolicy;
  _setCurrentLoopHook(savedHook);
  for (const loop of loopsToClose.splice(0)) loop.close();
});

/** A loop that is closed after the test. */
function track<L extends AbstractEventLoop>(loop: L): L {
  loopsToClose.push(loop);
  return loop;
}

const notLoops: unknown[] = [undefined, 1, 'loop', {}, [], () => {}, { runUntilComplete() {} }];
const notPolicies: unknown[] = [undefined, 1, 'policy', {}, { getEventLoop() {}, setEventLoop() {} }];

/** What a loop from another copy of @aio/loop looks like here: the same methods, another class. */
function foreignLoop(loop: AbstractEventLoop): AbstractEventLoop {
  return new Proxy(loop, { getPrototypeOf: () => Object.prototype });
}

/** A policy that records what it is asked and makes virtual-time loops. */
class RecordingPolicy extends AbstractEventLoopPolicy {
  readonly calls: string[] = [];
  current: AbstractEventLoop | null = null;

  getEventLoop(): AbstractEventLoop {
    this.calls.push('get');
    if (this.current === null) throw new RuntimeError('nothing set in RecordingPolicy');
    return this.current;
  }

  setEventLoop(loop: AbstractEventLoop | null): void {
    this.calls.push(loop === null ? 'set null' : 'set loop');
    this.current = loop;
  }

  newEventLoop(): AbstractEventLoop {
    this.calls.push('new');
    return track(new VirtualTimeEventLoop());
  }
}

describe('DefaultEventLoopPolicy', () => {
  test('getEventLoop with no loop set is a RuntimeError: 3.14 makes none implicitly (test_get_event_loop)', () => {
    const policy = new DefaultEventLoopPolicy();
    expect(() => policy.getEventLoop()).toThrow(RuntimeError);
    expect(() => policy.getEventLoop()).toThrow('There is no current event loop');
  });

  test('setEventLoop then getEventLoop; null unsets (test_set_event_loop)', () => {
    const policy = new DefaultEventLoopPolicy();
    const loop = track(policy.newEventLoop());
    policy.setEventLoop(loop);
    expect(policy.getEventLoop()).toBe(loop);
    expect(policy.getEventLoop()).toBe(loop);
    policy.setEventLoop(null);
    expect(() => policy.getEventLoop()).toThrow('There is no current event loop');
  });

  test('newEventLoop makes a fresh, open EventLoop each time and does not set it (test_new_event_loop)', () => {
    const policy = new DefaultEventLoopPolicy();
    const a = track(policy.newEventLoop());
    const b = track(policy.newEventLoop());
    expect(a).toBeInstanceOf(EventLoop);
    expect(b).not.toBe(a);
    expect(a.isClosed()).toBe(false);
    expect(() => policy.getEventLoop()).toThrow(RuntimeError);
  });

  test('getEventLoop returns the loop set even after it was closed', () => {
    const policy = new DefaultEventLoopPolicy();
    const loop = policy.newEventLoop();
    policy.setEventLoop(loop);
    loop.close();
    expect(policy.getEventLoop()).toBe(loop);
    expect(policy.getEventLoop().isClosed()).toBe(true);
  });

  test('each policy has its own current loop', () => {
    const first = new DefaultEventLoopPolicy();
    const second = new DefaultEventLoopPolicy();
    first.setEventLoop(track(new VirtualTimeEventLoop()));
    expect(() => second.getEventLoop()).toThrow(RuntimeError);
  });

  test('setEventLoop takes any loop-shaped object, and refuses others with a TypeError naming loop', () => {
    const policy = new DefaultEventLoopPolicy();
    const foreign = foreignLoop(track(new VirtualTimeEventLoop()));
    expect(foreign).not.toBeInstanceOf(AbstractEventLoop);
    policy.setEventLoop(foreign);
    expect(policy.getEventLoop()).toBe(foreign);
    for (const bad of notLoops) {
      expect(() => policy.setEventLoop(bad as AbstractEventLoop)).toThrow(TypeError);
      expect(() => policy.setEventLoop(bad as AbstractEventLoop)).toThrow(
        /^loop must be an AbstractEventLoop/,
      );
    }
    expect(() => policy.setEventLoop({} as AbstractEventLoop)).toThrow(/, got Object$/);
    expect(() => policy.setEventLoop(1 as never)).toThrow(/, got number$/);
    expect(() => policy.setEventLoop(new Map() as never)).toThrow(/, got Map$/);
    expect(policy.getEventLoop()).toBe(foreign);
  });
});

describe('getEventLoopPolicy / setEventLoopPolicy', () => {
  test('the default policy is a DefaultEventLoopPolicy, made once (test_get_event_loop_policy)', () => {
    const policy = getEventLoopPolicy();
    expect(policy).toBeInstanceOf(DefaultEventLoopPolicy);
    expect(policy).toBeInstanceOf(AbstractEventLoopPolicy);
    expect(getEventLoopPolicy()).toBe(policy);
  });

  test('a policy set is returned; null restores a fresh default (test_set_event_loop_policy)', () => {
    const old = getEventLoopPolicy();
    old.setEventLoop(track(new VirtualTimeEventLoop()));
    const custom = new RecordingPolicy();
    setEventLoopPolicy(custom);
    expect(getEventLoopPolicy()).toBe(custom);
    setEventLoopPolicy(null);
    const fresh = getEventLoopPolicy();
    expect(fresh).toBeInstanceOf(DefaultEventLoopPolicy);
    expect(fresh).not.toBe(old);
    expect(fresh).not.toBe(custom);
    expect(() => getEventLoop()).toThrow('There is no current event loop');
  });

  test('a non-policy is a TypeError naming policy, and changes nothing', () => {
    const before = getEventLoopPolicy();
    for (const bad of [...notPolicies, track(new EventLoop())]) {
      expect(() => setEventLoopPolicy(bad as AbstractEventLoopPolicy)).toThrow(TypeError);
      expect(() => setEventLoopPolicy(bad as AbstractEventLoopPolicy)).toThrow(
        /^policy must be an AbstractEventLoopPolicy or null, got /,
      );
    }
    expect(getEventLoopPolicy()).toBe(before);
  });

  test('any object of the policy shape is accepted (a policy from another copy of the package)', () => {
    const loop = track(new VirtualTimeEventLoop());
    const shaped = { getEventLoop: () => loop, setEventLoop: () => {}, newEventLoop: () => loop };
    setEventLoopPolicy(shaped as unknown as AbstractEventLoopPolicy);
    expect(getEventLoop()).toBe(loop);
    expect(newEventLoop()).toBe(loop);
  });

  test('the policy lives on a globalThis Symbol.for slot: a second copy of the package shares it', () => {
    let copy: typeof import('@aio/policies') | undefined;
    jest.isolateModules(() => {
      copy = require('@aio/policies');
    });
    expect(copy!.getEventLoopPolicy).not.toBe(getEventLoopPolicy);
    const custom = new RecordingPolicy();
    copy!.setEventLoopPolicy(custom);
    expect(getEventLoopPolicy()).toBe(custom);
    const loop = track(newEventLoop());
    setEventLoop(loop);
    expect(copy!.getEventLoop()).toBe(loop);
  });
});

describe('getEventLoop / setEventLoop / newEventLoop', () => {
  test('getEventLoop with no running loop and none set is a RuntimeError', () => {
    expect(() => getEventLoop()).toThrow(RuntimeError);
    expect(() => getEventLoop()).toThrow('There is no current event loop');
  });

  test('setEventLoop sets the policy’s current loop, which getEventLoop returns', () => {
    const loop = track(newEventLoop());
    setEventLoop(loop);
    expect(getEventLoop()).toBe(loop);
    expect(getEventLoopPolicy().getEventLoop()).toBe(loop);
    setEventLoop(null);
    expect(() => getEventLoop()).toThrow(RuntimeError);
  });

  test('newEventLoop gives a new open EventLoop, not set current', () => {
    const loop = track(newEventLoop());
    expect(loop).toBeInstanceOf(EventLoop);
    expect(loop.isClosed()).toBe(false);
    expect(track(newEventLoop())).not.toBe(loop);
    expect(() => getEventLoop()).toThrow(RuntimeError);
  });

  test('getEventLoop returns the loop set even after it was closed, as Python', () => {
    const loop = newEventLoop();
    setEventLoop(loop);
    loop.close();
    expect(getEventLoop()).toBe(loop);
  });

  test('inside a running loop getEventLoop returns it, whatever is set (test_get_event_loop_returns_running_loop)', async () => {
    const other = track(newEventLoop());
    setEventLoop(other);
    const loop = track(new VirtualTimeEventLoop());
    const seen: AbstractEventLoop[] = [];
    await loop.runUntilComplete(async () => {
      seen.push(getEventLoop());
      await new Promise<void>((resolve) =>
        loop.callSoon(() => {
          seen.push(getEventLoop());
          resolve();
        }),
      );
    });
    expect(seen).toEqual([loop, loop]);
    expect(getEventLoop()).toBe(other);
  });

  test('inside a running loop getEventLoop does not ask the policy', async () => {
    const policy = new RecordingPolicy();
    setEventLoopPolicy(policy);
    const loop = track(new VirtualTimeEventLoop());
    await expect(loop.runUntilComplete(async () => getEventLoop())).resolves.toBe(loop);
    expect(policy.calls).toEqual([]);
  });

  test('setEventLoop of something else is a TypeError naming loop', () => {
    for (const bad of notLoops) {
      expect(() => setEventLoop(bad as AbstractEventLoop)).toThrow(TypeError);
      expect(() => setEventLoop(bad as AbstractEventLoop)).toThrow(/^loop must be/);
    }
  });
});

describe('a custom policy', () => {
  test('its methods back getEventLoop, setEventLoop and newEventLoop', () => {
    const policy = new RecordingPolicy();
    setEventLoopPolicy(policy);
    const loop = newEventLoop();
    expect(loop).toBeInstanceOf(VirtualTimeEventLoop);
    setEventLoop(loop);
    expect(getEventLoop()).toBe(loop);
    expect(() => {
      setEventLoop(null);
      getEventLoop();
    }).toThrow('nothing set in RecordingPolicy');
    expect(policy.calls).toEqual(['new', 'set loop', 'get', 'set null', 'get']);
  });

  test('a DefaultEventLoopPolicy subclass changes the loops made, and keeps the slot', () => {
    class VirtualTimePolicy extends DefaultEventLoopPolicy {
      override newEventLoop(): AbstractEventLoop {
        return track(new VirtualTimeEventLoop());
      }
    }
    setEventLoopPolicy(new VirtualTimePolicy());
    const loop = newEventLoop();
    expect(loop).toBeInstanceOf(VirtualTimeEventLoop);
    expect(() => getEventLoop()).toThrow('There is no current event loop');
    setEventLoop(loop);
    expect(getEventLoop()).toBe(loop);
  });

  test('run() without loopFactory runs on the policy’s loop, set current while it runs, unset after', async () => {
    const policy = new RecordingPolicy();
    setEventLoopPolicy(policy);
    const [loop, current, elapsed] = await run(async () => {
      const running = getRunningLoop();
      const start = running.time();
      await sleep(3600); // instant on the policy's virtual-time loop
      return [running, policy.current, running.time() - start] as const;
    });
    expect(loop).toBeInstanceOf(VirtualTimeEventLoop);
    expect(current).toBe(loop);
    expect(elapsed).toBe(3600);
    expect(loop.isClosed()).toBe(true);
    expect(policy.calls).toEqual(['new', 'set loop', 'set null']);
    expect(() => getEventLoop()).toThrow('nothing set in RecordingPolicy');
  });

  test('run() with a loopFactory leaves the policy alone', async () => {
    const policy = new RecordingPolicy();
    setEventLoopPolicy(policy);
    await run(async () => expect(getEventLoop()).toBe(getRunningLoop()), {
      loopFactory: () => new VirtualTimeEventLoop(),
    });
    expect(policy.calls).toEqual([]);
  });

  test('a Runner sets its loop current from its first use until close (the default policy)', async () => {
    const runner = new Runner();
    const loop = runner.getLoop();
    expect(getEventLoop()).toBe(loop);
    await expect(runner.run(async () => getEventLoop())).resolves.toBe(loop);
    expect(getEventLoop()).toBe(loop);
    await runner.close();
    expect(loop.isClosed()).toBe(true);
    expect(() => getEventLoop()).toThrow('There is no current event loop');
  });

  test('importing @aio/policies installed the current-loop hook, which follows the policy in force', () => {
    const hook = _getCurrentLoopHook()!;
    const policy = new RecordingPolicy();
    setEventLoopPolicy(policy);
    const loop = hook.newEventLoop();
    hook.setEventLoop(loop);
    expect(getEventLoop()).toBe(loop);
    expect(policy.calls).toEqual(['new', 'set loop', 'get']);
  });
});

import { _getCurrentLoopHook, _setCurrentLoopHook, type CurrentLoopHook, EventLoop } from '@aio/loop';

describe('current-loop hook', () => {
  let saved: CurrentLoopHook | null;
  beforeEach(() => {
    saved = _getCurrentLoopHook();
  });
  afterEach(() => _setCurrentLoopHook(saved));

  test('installs, returns and removes the hook', () => {
    const hook: CurrentLoopHook = { newEventLoop: () => new EventLoop(), setEventLoop: () => {} };
    _setCurrentLoopHook(hook);
    expect(_getCurrentLoopHook()).toBe(hook);
    _setCurrentLoopHook(null);
    expect(_getCurrentLoopHook()).toBeNull();
  });

  test('lives on a globalThis Symbol.for slot, so that two copies of the package share it', () => {
    const hook: CurrentLoopHook = { newEventLoop: () => new EventLoop(), setEventLoop: () => {} };
    _setCurrentLoopHook(hook);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('aio.currentLoopHook')]).toBe(hook);
  });

  test('refuses what is not a hook, with TypeError naming the argument', () => {
    for (const bad of [undefined, 1, {}, { newEventLoop: () => null }, { setEventLoop: () => {} }]) {
      const install = () => _setCurrentLoopHook(bad as unknown as CurrentLoopHook);
      expect(install).toThrow(TypeError);
      expect(install).toThrow(/^hook must/);
    }
  });
});

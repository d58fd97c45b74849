"""Shared by the Python workloads: pick the loop, time a coroutine, print run.mjs's JSON line."""
import asyncio
import json
import sys
import time

variant, size = sys.argv[1], int(sys.argv[2])


def new_loop():
    if variant == 'uvloop':
        import uvloop
        return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def report(value):
    print(json.dumps({'value': value}))


def timed(main):
    loop = new_loop()
    started = time.perf_counter()
    loop.run_until_complete(main())
    report(time.perf_counter() - started)
    loop.close()

import time
from common import new_loop, report, size

loop = new_loop()
delays = [((i * 7919) % 1000) / 20000 for i in range(size)]
fired = 0


def fire():
    global fired
    fired += 1
    if fired == size:
        loop.stop()


started = time.perf_counter()
for d in delays:
    loop.call_later(d, fire)
loop.run_forever()
report(time.perf_counter() - started)

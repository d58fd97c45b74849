"""10 producers + 10 consumers move `size` integers through a Queue(100) (see queue_workers.py)."""
from queue_workers import bench

bench(10)

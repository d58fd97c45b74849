"""1 producer + 1 consumer move `size` integers through a Queue(100) (see queue_workers.py)."""
from queue_workers import bench

bench(1)

// 1 producer + 1 consumer move `size` integers through a Queue(100) (see queue-workers.mjs).
import { benchQueue } from './queue-workers.mjs';

await benchQueue(1);

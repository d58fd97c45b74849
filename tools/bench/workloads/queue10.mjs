// 10 producers + 10 consumers move `size` integers through a Queue(100) (see queue-workers.mjs).
import { benchQueue } from './queue-workers.mjs';

await benchQueue(10);

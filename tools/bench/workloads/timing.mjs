// Shared by the Node workloads: time a function and print the one JSON line run.mjs reads.
export async function report(fn) {
  const started = performance.now();
  await fn();
  console.log(JSON.stringify({ value: (performance.now() - started) / 1000 }));
}
export const [variant, size] = [process.argv[2], Number(process.argv[3])];

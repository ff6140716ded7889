/**
 * Resolves after the event loop has had a turn, so rendering and input can run between training batches.
 * A MessageChannel message is not throttled in background tabs the way setTimeout and requestAnimationFrame
 * (tf.nextFrame) are; setTimeout is the fallback where MessageChannel does not exist.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

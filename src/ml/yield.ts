/**
 * Lets queued messages (such as a Stop request) run between training steps. A MessageChannel round
 * trip is a macrotask without setTimeout's 4 ms clamp, so yielding every batch costs almost nothing.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

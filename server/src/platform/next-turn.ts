// The next turn of the event loop, after pending I/O (a keystroke, a request): setImmediate in
// Node; a browser worker has none, and nested setTimeout(0) is clamped to 4 ms there (HTML
// standard, timers), so a MessageChannel's message stands in for it.
type Callback = () => void;

interface Channel {
  port1: { onmessage: (() => void) | null; unref?: () => void };
  port2: { postMessage(message: unknown): void };
}

export function messageChannelTurn(): (fn: Callback) => void {
  const Ctor = (globalThis as unknown as { MessageChannel?: new () => Channel }).MessageChannel;
  if (!Ctor) return (fn) => void setTimeout(fn, 0);
  const channel = new Ctor();
  const queue: Callback[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  // Node's ports (where a test runs this) keep the process alive while they listen; a worker's do not
  channel.port1.unref?.();
  return (fn) => {
    queue.push(fn);
    channel.port2.postMessage(0);
  };
}

export const nextTurn: (fn: Callback) => void =
  typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : messageChannelTurn();

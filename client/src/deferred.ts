// A promise with its resolve at hand and whether it has settled: "the server is running".
export interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  settled: boolean;
}

export function deferred(): Deferred {
  const d = { settled: false } as Deferred;
  d.promise = new Promise<void>((r) => {
    d.resolve = () => {
      d.settled = true;
      r();
    };
  });
  return d;
}

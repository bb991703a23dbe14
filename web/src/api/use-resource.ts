/** Loads one thing for a component, with loading and error states and a way to load it again. */
import { useCallback, useEffect, useState } from 'react';
import { messageOf } from './http.ts';

/** What a page renders from: the value, the error text, and whether a load is running. */
export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  /** The raw error, for pages that react to a code (403 and the like). */
  readonly failure: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Runs `load` on mount and whenever `key` changes; a newer load wins over an older one. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, key: string): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setFailure(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setFailure(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure each render; `key` says when its inputs changed.
  }, [key, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return {
    data,
    failure,
    error: failure === undefined ? undefined : messageOf(failure),
    loading,
    reload,
  };
}

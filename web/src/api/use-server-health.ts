/** React hook that polls the server's status endpoints and exposes one snapshot to the page. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchReadiness, fetchServerStatus, type Readiness, type ServerStatus } from './status.ts';

/** How often the status panel refreshes. */
export const POLL_INTERVAL_MS = 10_000;

/** What the status panel shows: loading, a fresh reading, or an error (keeping the last reading). */
export interface ServerHealth {
  readonly phase: 'loading' | 'live' | 'unreachable';
  readonly readiness: Readiness | undefined;
  readonly status: ServerStatus | undefined;
  readonly error: string | undefined;
  readonly checkedAt: Date | undefined;
  readonly refreshing: boolean;
}

const INITIAL: ServerHealth = {
  phase: 'loading',
  readiness: undefined,
  status: undefined,
  error: undefined,
  checkedAt: undefined,
  refreshing: true,
};

/** Polls `/readyz` and `/api/v1/status` every {@link POLL_INTERVAL_MS}; `refresh` checks now. */
export function useServerHealth(): { health: ServerHealth; refresh: () => void } {
  const [health, setHealth] = useState<ServerHealth>(INITIAL);
  const inFlight = useRef<AbortController | undefined>(undefined);

  const refresh = useCallback(() => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setHealth((h) => ({ ...h, refreshing: true }));
    Promise.all([fetchReadiness(controller.signal), fetchServerStatus(controller.signal)]).then(
      ([readiness, status]) => {
        if (controller.signal.aborted) return;
        setHealth({
          phase: 'live',
          readiness,
          status,
          error: undefined,
          checkedAt: new Date(),
          refreshing: false,
        });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        const message = err instanceof Error ? err.message : 'The server could not be reached';
        setHealth((h) => ({
          ...h,
          phase: 'unreachable',
          error: message,
          checkedAt: new Date(),
          refreshing: false,
        }));
      },
    );
  }, []);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, POLL_INTERVAL_MS);
    return () => {
      window.clearInterval(timer);
      inFlight.current?.abort();
    };
  }, [refresh]);

  return { health, refresh };
}

/** Drives one target with autocannon and reduces the result to a {@link Measurement}. */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Measurement } from './benchmark.ts';

/** Load shape shared by every target of a benchmark, so their figures are comparable. */
export interface LoadSettings {
  readonly connections: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly pipelining: number;
}

/** Where and what to request. */
export interface LoadTarget {
  readonly label: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** PEM of the CA the target's certificate chains to. */
  readonly caPem: string;
  /** TLS SNI and the name the certificate is checked against. */
  readonly servername: string;
}

interface Run {
  readonly result: autocannon.Result;
  /** 2xx response times in microseconds. */
  readonly latencyUs: RecordableHistogram;
}

function fire(target: LoadTarget, settings: LoadSettings, durationSec: number): Promise<Run> {
  // autocannon's own latency histogram holds whole milliseconds, too coarse for a sub-millisecond
  // no-op; its 'response' event carries the hrtime duration, recorded here in microseconds.
  const latencyUs = createHistogram();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'GET',
        headers: { ...target.headers },
        connections: settings.connections,
        pipelining: settings.pipelining,
        duration: durationSec,
        servername: target.servername,
        // autocannon forces rejectUnauthorized: false on its sockets, so the chain is verified
        // strictly by preflight() before the load starts; passing the CA keeps the
        // per-connection work (handshake and chain building) the same as a verifying client's.
        tlsOptions: { ca: target.caPem },
      },
      (err: unknown, result) => {
        if (err instanceof Error) reject(err);
        else if (err !== null && err !== undefined) reject(new Error('autocannon failed', { cause: err }));
        else resolve({ result, latencyUs });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
      if (statusCode >= 200 && statusCode < 300)
        latencyUs.record(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
}

/** Runs a warm-up (discarded, lets V8 optimise both sides) and then the measured run. */
export async function measure(target: LoadTarget, settings: LoadSettings): Promise<Measurement> {
  if (settings.warmupSec > 0) await fire(target, settings, settings.warmupSec);
  const { result, latencyUs } = await fire(target, settings, settings.durationSec);
  return {
    target: target.label,
    requestsPerSec: result.requests.average,
    p50Ms: latencyUs.percentile(50) / 1000,
    p99Ms: latencyUs.percentile(99) / 1000,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

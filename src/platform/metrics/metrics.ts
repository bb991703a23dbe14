/**
 * Prometheus metrics. One registry per process, so tests that start several servers in one process
 * keep their figures apart. Labels never carry identifiers of people or tenants (no PII in
 * telemetry): routes are the route pattern, not the URL.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics, Gauge } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly rateLimited: Counter<'kind'>;
  readonly eventsReceived: Counter;
  readonly ready: Gauge;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'parley' });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'parley_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'parley_rate_limited_total',
      help: 'Requests refused with 429, by limit kind.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    eventsReceived: new Counter({
      name: 'parley_events_received_total',
      help: 'Domain events delivered to this process by the event bus.',
      registers: [registry],
    }),
    ready: new Gauge({
      name: 'parley_ready',
      help: '1 when this process is ready to serve.',
      registers: [registry],
    }),
  };
}

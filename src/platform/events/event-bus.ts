/**
 * Domain events and the bus that carries them. Modules publish through the outbox (so an event
 * exists only if its data was committed) and subscribe here for fan-out to sockets, bots and
 * federation. Two implementations: `MemoryEventBus` (one process) and `RedisEventBus` (cluster).
 */

/** Something that happened in a domain module. Payloads are plain JSON data. */
export interface DomainEvent<P = unknown> {
  /** UUID; unique per event, used to deliver each event at most once per process. */
  readonly id: string;
  /** Dotted name owned by one module, e.g. `messages.created`. */
  readonly topic: string;
  readonly payload: P;
  /** ISO 8601 UTC time the event was recorded. */
  readonly occurredAt: string;
}

/** A subscriber. Errors (thrown or rejected) are logged by the bus and never reach the publisher. */
export type EventHandler = (event: DomainEvent) => void | Promise<void>;

/** Subscribing to this topic receives every event. */
export const ALL_TOPICS = '*';

export interface EventBus {
  /**
   * Hands the event to the bus. Resolves once the bus has accepted it (for Redis: the server
   * acknowledged the PUBLISH); handlers run later, in publish order.
   */
  publish(event: DomainEvent): Promise<void>;
  /** Registers a handler for one topic or `'*'`; returns the function that unsubscribes it. */
  subscribe(topic: string, handler: EventHandler): () => void;
  /** Stops accepting events, waits for running handlers and releases connections. */
  close(): Promise<void>;
}

/** True when `value` has the shape of a DomainEvent (used on data read from the network). */
export function isDomainEvent(value: unknown): value is DomainEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    v.id !== '' &&
    typeof v.topic === 'string' &&
    v.topic !== '' &&
    typeof v.occurredAt === 'string' &&
    'payload' in v
  );
}

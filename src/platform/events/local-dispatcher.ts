/**
 * Delivers events to this process's handlers: in order, at most once per event id, with handler
 * errors contained. Shared by both bus implementations.
 */
import type { Logger } from '../logging/logger.ts';
import { ALL_TOPICS, type DomainEvent, type EventHandler } from './event-bus.ts';

/** How many recent event ids are remembered for deduplication. */
export const DEFAULT_DEDUPE_CAPACITY = 10_000;

/** A bounded set with least-recently-used eviction. */
export class RecentIds {
  readonly #capacity: number;
  readonly #ids = new Map<string, true>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  /** Records `id`; returns false if it was already present (and refreshes it). */
  add(id: string): boolean {
    if (this.#ids.has(id)) {
      this.#ids.delete(id);
      this.#ids.set(id, true);
      return false;
    }
    this.#ids.set(id, true);
    if (this.#ids.size > this.#capacity) {
      // Maps iterate in insertion order, so the first key is the least recently used.
      const oldest = this.#ids.keys().next();
      if (oldest.done !== true) this.#ids.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.#ids.size;
  }
}

export class LocalDispatcher {
  readonly #logger: Logger;
  readonly #handlers = new Map<string, Set<EventHandler>>();
  readonly #seen: RecentIds;
  #queue: Promise<void> = Promise.resolve();

  constructor(logger: Logger, dedupeCapacity = DEFAULT_DEDUPE_CAPACITY) {
    this.#logger = logger;
    this.#seen = new RecentIds(dedupeCapacity);
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    if (topic === '') throw new TypeError('topic must not be empty');
    let set = this.#handlers.get(topic);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(topic, set);
    }
    // Wrap so that subscribing the same function twice yields two independent subscriptions.
    const entry: EventHandler = (event) => handler(event);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.#handlers.get(topic) === set) this.#handlers.delete(topic);
    };
  }

  /**
   * Queues `event` for the handlers subscribed at this moment. Returns false, and delivers
   * nothing, if an event with the same id was delivered recently.
   */
  deliver(event: DomainEvent): boolean {
    if (!this.#seen.add(event.id)) {
      this.#logger.debug({ eventId: event.id, topic: event.topic }, 'duplicate event ignored');
      return false;
    }
    const handlers = [...(this.#handlers.get(event.topic) ?? []), ...(this.#handlers.get(ALL_TOPICS) ?? [])];
    if (handlers.length === 0) return true;
    // One queue: event N+1's handlers start after event N's have settled, so subscribers see
    // events in publish order. A handler must therefore not wait for a later event.
    this.#queue = this.#queue.then(() => this.#run(event, handlers));
    return true;
  }

  /** Resolves when every queued delivery has finished. */
  async idle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.#queue;
      await current;
    } while (current !== this.#queue);
  }

  /** Drops all subscriptions. */
  clear(): void {
    this.#handlers.clear();
  }

  async #run(event: DomainEvent, handlers: readonly EventHandler[]): Promise<void> {
    const results = await Promise.allSettled(handlers.map(async (handler) => handler(event)));
    for (const result of results) {
      if (result.status === 'rejected') {
        this.#logger.error(
          { err: result.reason, eventId: event.id, topic: event.topic },
          'event handler failed',
        );
      }
    }
  }
}

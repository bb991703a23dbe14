/**
 * The cluster bus: every node publishes JSON messages on one Redis pub/sub channel and every
 * node's subscriber delivers them to its local handlers.
 *
 * Redis pub/sub is fire-and-forget (https://redis.io/docs/latest/develop/pubsub/): a node that
 * is disconnected when a message is published never gets it. Durability comes from the outbox,
 * not from the bus; the bus is the fast path for realtime fan-out.
 *
 * An event reaches a process's handlers at most once: the publishing node delivers locally
 * right away (no Redis round trip), and its own message coming back from Redis, or a
 * re-publication of the same event by the outbox relay, is dropped by the event-id
 * deduplication in LocalDispatcher.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.ts';
import { isDomainEvent, type DomainEvent, type EventBus, type EventHandler } from './event-bus.ts';
import { DEFAULT_DEDUPE_CAPACITY, LocalDispatcher } from './local-dispatcher.ts';
import { closeRedis } from '../redis/close-redis.ts';

export const DEFAULT_EVENT_CHANNEL = 'parley:events';

/** Wire format version; a node ignores messages of a version it does not know. */
const WIRE_VERSION = 1;

interface WireMessage {
  readonly v: number;
  readonly event: DomainEvent;
}

export interface RedisEventBusOptions {
  /** redis:// or rediss:// URL. */
  readonly url: string;
  readonly channel?: string;
  readonly logger: Logger;
  readonly dedupeCapacity?: number;
}

export class RedisEventBus implements EventBus {
  readonly #channel: string;
  readonly #logger: Logger;
  // Two connections: a connection in subscribe mode can issue no other commands (RESP2).
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #dispatcher: LocalDispatcher;
  readonly #ready: Promise<void>;
  #closed = false;

  constructor(options: RedisEventBusOptions) {
    this.#channel = options.channel ?? DEFAULT_EVENT_CHANNEL;
    this.#logger = options.logger.child({ component: 'redis-event-bus' });
    this.#dispatcher = new LocalDispatcher(this.#logger, options.dedupeCapacity ?? DEFAULT_DEDUPE_CAPACITY);
    this.#pub = new Redis(options.url, { connectionName: 'parley-events-pub' });
    this.#sub = new Redis(options.url, { connectionName: 'parley-events-sub' });
    for (const [role, conn] of [
      ['pub', this.#pub],
      ['sub', this.#sub],
    ] as const) {
      // ioredis reconnects by itself; an 'error' without a listener would only be printed.
      conn.on('error', (error: unknown) => {
        this.#logger.warn({ err: error, connection: role }, 'Redis event bus connection error');
      });
    }
    this.#sub.on('message', (channel: string, message: string) => {
      if (channel === this.#channel) this.#receive(message);
    });
    // ioredis re-subscribes after a reconnect (autoResubscribe), so this runs once.
    this.#ready = Promise.all([this.#pub.ping(), this.#sub.subscribe(this.#channel)]).then(() => undefined);
    // Observed here so that nobody awaiting ready() does not make a rejection unhandled.
    this.#ready.catch(() => undefined);
  }

  /** Resolves once both connections are up and the subscription is active. */
  ready(): Promise<void> {
    return this.#ready;
  }

  async publish(event: DomainEvent): Promise<void> {
    if (this.#closed) throw new Error('the event bus is closed');
    const message = JSON.stringify({ v: WIRE_VERSION, event } satisfies WireMessage);
    this.#dispatcher.deliver(event);
    await this.#pub.publish(this.#channel, message);
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    return this.#dispatcher.subscribe(topic, handler);
  }

  /** Resolves when handlers of every event received so far have finished. */
  idle(): Promise<void> {
    return this.#dispatcher.idle();
  }

  /** Round trip to Redis on the publishing connection (readiness). */
  async ping(): Promise<void> {
    await this.#pub.ping();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([closeRedis(this.#sub), closeRedis(this.#pub)]);
    await this.#dispatcher.idle();
    this.#dispatcher.clear();
  }

  #receive(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      this.#logger.warn({ channel: this.#channel }, 'ignoring a malformed event message');
      return;
    }
    const wire = parsed as Partial<WireMessage> | null;
    if (wire?.v !== WIRE_VERSION || !isDomainEvent(wire.event)) {
      this.#logger.warn({ channel: this.#channel }, 'ignoring an event message of unknown shape or version');
      return;
    }
    this.#dispatcher.deliver(wire.event);
  }
}

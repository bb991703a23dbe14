/** The single-process bus: events go straight to this process's handlers. */
import type { Logger } from '../logging/logger.ts';
import type { DomainEvent, EventBus, EventHandler } from './event-bus.ts';
import { DEFAULT_DEDUPE_CAPACITY, LocalDispatcher } from './local-dispatcher.ts';

export class MemoryEventBus implements EventBus {
  readonly #dispatcher: LocalDispatcher;
  #closed = false;

  constructor(options: { readonly logger: Logger; readonly dedupeCapacity?: number }) {
    this.#dispatcher = new LocalDispatcher(options.logger, options.dedupeCapacity ?? DEFAULT_DEDUPE_CAPACITY);
  }

  publish(event: DomainEvent): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the event bus is closed'));
    this.#dispatcher.deliver(event);
    return Promise.resolve();
  }

  subscribe(topic: string, handler: EventHandler): () => void {
    return this.#dispatcher.subscribe(topic, handler);
  }

  /** Resolves when handlers of every event published so far have finished. */
  idle(): Promise<void> {
    return this.#dispatcher.idle();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#dispatcher.idle();
    this.#dispatcher.clear();
  }
}

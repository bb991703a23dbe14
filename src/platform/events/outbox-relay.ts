/**
 * Runs `outbox.drain()` every `intervalMs` (worker role), so events whose writer died between
 * commit and publication, or between claim and mark, still go out. Drains never overlap: the
 * next one is scheduled after the previous finished.
 */
import type { Logger } from '../logging/logger.ts';
import type { Outbox } from './outbox.ts';

export interface OutboxRelayOptions {
  /** Pause between drains. Default 1000 ms. */
  readonly intervalMs?: number;
}

export class OutboxRelay {
  readonly #outbox: Outbox;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #running = false;

  constructor(outbox: Outbox, logger: Logger, options: OutboxRelayOptions = {}) {
    this.#outbox = outbox;
    this.#logger = logger.child({ component: 'outbox-relay' });
    this.#intervalMs = options.intervalMs ?? 1000;
  }

  /** Starts polling; the first drain runs at once. Calling start twice is harmless. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#tick();
  }

  /** Stops polling and waits for a drain in progress to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  #tick(): void {
    this.#inFlight = this.#outbox
      .drain()
      .then((published) => {
        if (published > 0) this.#logger.info({ published }, 'relayed outbox events');
      })
      .catch((error: unknown) => {
        this.#logger.warn({ err: error }, 'outbox drain failed; retrying');
      })
      .finally(() => {
        this.#inFlight = undefined;
        if (this.#running) {
          this.#timer = setTimeout(() => {
            this.#tick();
          }, this.#intervalMs);
          // Shutdown stops the relay explicitly; the timer alone never keeps a process alive.
          this.#timer.unref();
        }
      });
  }
}

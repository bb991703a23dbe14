/** Helpers shared by the event tests (not used by production code). */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logging/logger.ts';
import type { DomainEvent, EventBus } from './event-bus.ts';

/** A logger whose JSON lines are collected in `lines`. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** Subscribes to `topic` and collects what arrives. */
export function collect(bus: EventBus, topic = '*'): DomainEvent[] {
  const seen: DomainEvent[] = [];
  bus.subscribe(topic, (event) => {
    seen.push(event);
  });
  return seen;
}

/** Polls `condition` until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let counter = 0;
/** A DomainEvent with a unique id. */
export function makeEvent(topic = 'test.thing', payload: unknown = { n: ++counter }): DomainEvent {
  return { id: crypto.randomUUID(), topic, payload, occurredAt: new Date().toISOString() };
}

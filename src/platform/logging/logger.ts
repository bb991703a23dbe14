/**
 * pino JSON logs. Secrets never reach a log line: credentials are redacted by path and request
 * URLs are logged without their query string (tokens and conference keys travel in queries in
 * some protocols, OAuth's among them).
 */
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths pino blanks out wherever they occur in a log object. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.privateKey',
  '*.conferenceKey',
  'password',
  'secret',
  'token',
  'databaseUrl',
  'redisUrl',
];

export interface LoggerSettings {
  readonly level: LoggerOptions['level'];
  /** Where lines go; defaults to stdout. Tests pass a stream to read the lines back. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return settings.destination === undefined
    ? pino(options)
    : pino(options, settings.destination as pino.DestinationStream);
}

/** Drops the query string: it may carry codes, tokens or keys. */
export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Loads the configuration for a CLI command, printing every problem and returning undefined on failure. */
import { ConfigError, loadConfig } from '../config/load.ts';
import type { Config } from '../config/config.ts';

export function configOrReport(overrides: Record<string, string> = {}): Config | undefined {
  try {
    return loadConfig({ ...process.env, ...overrides });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return undefined;
    }
    throw err;
  }
}

/**
 * Composition root: configuration → platform → domain modules → listeners. Domain modules
 * (identity, chat, meetings, bots, federation…) are wired here as they are added; each receives the
 * platform services it needs and registers its own routes.
 */
import type { Config } from './config/config.ts';
import { startPlatform, type PlatformOptions, type RunningPlatform } from './platform/lifecycle/platform.ts';

export async function startParley(config: Config, options: PlatformOptions = {}): Promise<RunningPlatform> {
  return startPlatform(config, options);
}

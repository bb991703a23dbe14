/** Writes docs/configuration.md from the settings table, so the documentation cannot drift from the code. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc } from '../src/config/docs.ts';

const target = join(import.meta.dirname, '..', 'docs', 'configuration.md');
writeFileSync(target, renderConfigurationDoc());
console.log(`wrote ${target}`);

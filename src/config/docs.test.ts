import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigurationDoc } from './docs.ts';
import { settings } from './settings.ts';

it('docs/configuration.md is generated from the current settings (run npm run docs:config)', () => {
  const committed = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
  assert.equal(committed, renderConfigurationDoc());
  for (const spec of Object.values(settings)) assert.ok(committed.includes(`\`${spec.env}\``), spec.env);
});

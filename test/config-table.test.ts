// The configuration table drives the sample config: every key of every section kind it shows
// appears there with a value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SAMPLE_CONFIG, sampleValue } from '../config/sample.js';
import { SECTIONS } from '../config/schema/sections.js';

test('the sample shows every key of each section kind it shows, each with a value', () => {
  for (const section of SECTIONS) {
    if (section.sample === undefined) continue;
    const header = `[${section.sample.header}]`;
    const start = SAMPLE_CONFIG.indexOf(header);
    assert.ok(start >= 0, header);
    const block = SAMPLE_CONFIG.slice(start, SAMPLE_CONFIG.indexOf('\n\n', start) >>> 0);
    for (const [name, spec] of Object.entries(section.keys)) {
      const value = sampleValue(spec);
      assert.ok(value, `${header} ${name} has a default or an example`);
      assert.match(block, new RegExp(`^;?${name.replace(/\./g, '\\.')}=${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
    }
  }
});

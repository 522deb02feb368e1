// The annotated sample configuration printed by echo_supervisord_conf, written from the
// configuration table: every key of every section kind, with its default (or an example) and its
// help. Lines starting with ';' are switched off; uncomment and edit what you need.
import type { KeySpec } from './schema/keys.js';
import { SECTIONS, type SectionSpec } from './schema/sections.js';

const PREAMBLE = `; Sample supervisord configuration.
;
; Lines beginning with ";" are inactive. A ";" or "#" starts a comment only
; at the start of a line or after a space or tab, so "a=b;c" keeps its ";".
; Inside values, %(here)s means the directory holding this file and
; %(ENV_NAME)s means the variable NAME from supervisord's environment.
; Sizes accept KB, MB and GB suffixes; booleans accept true/false, yes/no,
; on/off and 1/0. Values shown are the defaults, or examples where the
; default is noted.
`;

/** Where the help comments start, unless a key=value is longer. */
const COMMENT_COLUMN = 31;

/** The value the sample shows: an example where the default is missing or says little. */
export function sampleValue(spec: KeySpec): string | null {
  return spec.example ?? spec.default;
}

function sampleSection(section: SectionSpec, sample: NonNullable<SectionSpec['sample']>): string {
  const off = sample.active ? '' : ';';
  const lines = (sample.intro ?? []).map((line) => `; ${line}`);
  lines.push(`${off}[${sample.header}]`);
  for (const [name, spec] of Object.entries(section.keys)) {
    const setting = `${sample.active && spec.active ? '' : ';'}${name}=${sampleValue(spec) ?? ''}`;
    const shownDefault = spec.example !== undefined && spec.default && spec.default !== spec.example ? ` (default: ${spec.default})` : '';
    lines.push(`${setting.padEnd(COMMENT_COLUMN - 1)} ; ${spec.help}${shownDefault}`);
  }
  return lines.join('\n') + '\n';
}

export const SAMPLE_CONFIG = [
  PREAMBLE,
  ...SECTIONS.flatMap((section) => (section.sample === undefined ? [] : [sampleSection(section, section.sample)])),
].join('\n');

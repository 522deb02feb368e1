// Every section kind of a configuration file, in the order the sample config shows them: the
// one table the loader, echo_supervisord_conf and the unknown-name warnings share.
import { FCGI_PROGRAM_KEYS } from './fcgi-programs.js';
import { defineKeys, type KeyTable } from './keys.js';
import { EVENTLISTENER_KEYS, PROCESS_KEYS } from './processes.js';
import { INET_HTTP_SERVER_KEYS, UNIX_HTTP_SERVER_KEYS } from './servers.js';
import { SUPERVISORCTL_HOST_KEYS, SUPERVISORCTL_KEYS } from './supervisorctl.js';
import { SUPERVISORD_KEYS } from './supervisord.js';

export const RPC_FACTORY_KEY = 'supervisor.rpcinterface_factory';
/** The reference's own factory: the built-in supervisor namespace, which takes no options. */
export const BUILT_IN_RPC_FACTORY = 'supervisor.rpcinterface:make_main_rpcinterface';

export const GROUP_KEYS = defineKeys({
  programs: {
    type: 'list-of-strings',
    default: null,
    example: 'progname1,progname2',
    help: 'names of [program:x] sections, comma separated',
  },
  priority: { type: 'integer', default: '999', help: 'lower numbers start first and stop last' },
});

export const INCLUDE_KEYS = defineKeys({
  files: { type: 'string', default: null, example: 'relative/directory/*.ini', help: 'globs of files to read, separated by spaces' },
});

export const RPCINTERFACE_KEYS = defineKeys({
  [RPC_FACTORY_KEY]: { type: 'string', default: null, example: BUILT_IN_RPC_FACTORY, active: true, help: 'what builds the namespace' },
});

export const CTLPLUGIN_KEYS = defineKeys({
  'supervisor.ctl_factory': { type: 'string', default: null, help: 'what builds the supervisorctl plug-in' },
});

export interface SectionSpec {
  /** The section's name, or how its names start for a kind with many (the reference tests startswith). */
  readonly name: string;
  readonly match: 'exact' | 'prefix';
  readonly keys: KeyTable;
  /**
   * Other keys are options handed to the section's factory: for a plug-in of our own they may be
   * anything; the built-in rpcinterface factory takes none.
   */
  readonly factoryOptions?: true;
  /** How echo_supervisord_conf shows the section; not at all when absent. */
  readonly sample?: {
    /** The header it writes (an example name for a kind with many). */
    readonly header: string;
    /** Written switched on, not commented out. */
    readonly active: boolean;
    /** Comment lines before the header. */
    readonly intro?: readonly string[];
  };
}

export const SECTIONS: readonly SectionSpec[] = [
  {
    name: 'unix_http_server',
    match: 'prefix',
    keys: UNIX_HTTP_SERVER_KEYS,
    sample: { header: 'unix_http_server', active: true, intro: ['The control socket that supervisorctl and the API use.'] },
  },
  {
    name: 'inet_http_server',
    match: 'prefix',
    keys: INET_HTTP_SERVER_KEYS,
    sample: { header: 'inet_http_server', active: false, intro: ['The control API over TCP; off unless this section is switched on.'] },
  },
  { name: 'supervisord', match: 'exact', keys: SUPERVISORD_KEYS, sample: { header: 'supervisord', active: true } },
  {
    name: 'rpcinterface:',
    match: 'prefix',
    keys: RPCINTERFACE_KEYS,
    factoryOptions: true,
    sample: { header: 'rpcinterface:supervisor', active: true, intro: ['The control API needs this section; leave it as it is.'] },
  },
  { name: 'supervisorctl', match: 'exact', keys: SUPERVISORCTL_KEYS, sample: { header: 'supervisorctl', active: true } },
  {
    name: 'program:',
    match: 'prefix',
    keys: PROCESS_KEYS,
    sample: {
      header: 'program:theprogramname',
      active: false,
      intro: ['One [program:name] section per program to run. The name may not contain', 'spaces, colons or slashes.'],
    },
  },
  {
    name: 'eventlistener:',
    match: 'prefix',
    keys: EVENTLISTENER_KEYS,
    sample: {
      header: 'eventlistener:theeventlistenername',
      active: false,
      intro: ['An [eventlistener:name] section runs a pool of listeners that receive', 'events on stdin and answer on stdout.'],
    },
  },
  {
    name: 'group:',
    match: 'prefix',
    keys: GROUP_KEYS,
    sample: {
      header: 'group:thegroupname',
      active: false,
      intro: [
        'A [group:name] section puts programs into one group so they can be',
        'controlled together; those programs then no longer form groups of their own.',
      ],
    },
  },
  {
    name: 'include',
    match: 'exact',
    keys: INCLUDE_KEYS,
    sample: {
      header: 'include',
      active: false,
      intro: ['[include] reads more configuration files. Relative globs are taken from', "the including file's directory."],
    },
  },
  { name: 'ctlplugin:', match: 'prefix', keys: CTLPLUGIN_KEYS, factoryOptions: true },
  { name: 'supervisorctl:', match: 'prefix', keys: SUPERVISORCTL_HOST_KEYS },
  // Not in the sample configuration, as in the reference's.
  { name: 'fcgi-program:', match: 'prefix', keys: FCGI_PROGRAM_KEYS },
];

/** The kind a section belongs to, or undefined for a section the reference ignores. */
export function sectionSpec(section: string): SectionSpec | undefined {
  return SECTIONS.find((s) => (s.match === 'exact' ? section === s.name : section.startsWith(s.name)));
}

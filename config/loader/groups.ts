// Process groups: [group:x] sections, then the [program:x] sections no group took, then the
// [eventlistener:x] pools, then the [fcgi-program:x] sections no group took, in the reference's
// order.
import { processOrGroupName } from '../datatypes.js';
import { isEventTypeName } from '../event-types.js';
import { EVENTLISTENER_KEYS, PROCESS_KEYS } from '../schema/processes.js';
import { GROUP_KEYS } from '../schema/sections.js';
import { ConfigError, type EventListenerSettings, type ProcessConfig, type ProcessGroupConfig } from '../types.js';
import { keyReader, type LoadContext, type Vars } from './context.js';
import { readFcgiProgram } from './fcgi-programs.js';
import { byPriorityThenName } from './order.js';
import { processesFromSection } from './processes.js';

export function readGroups(context: LoadContext): ProcessGroupConfig[] {
  const here: Vars = new Map([['here', context.here]]);
  const all = [...context.doc.sections.keys()];
  const groups: ProcessGroupConfig[] = [];
  const inHeterogeneousGroup = new Set<string>();

  for (const groupSection of all.filter((s) => s.startsWith('group:'))) {
    const name = context.attempt(
      () => sectionName(context, groupSection),
      () => null,
    );
    if (name === null) continue;
    const keys = keyReader(context, groupSection, GROUP_KEYS, here);
    const programs = keys.value('programs') ?? [];
    const priority = keys.value('priority');
    const processes: ProcessConfig[] = [];
    for (const program of programs) {
      const programSection = `program:${program}`;
      const fcgiSection = `fcgi-program:${program}`;
      const isProgram = context.doc.has(programSection);
      const isFcgi = context.doc.has(fcgiSection);
      // The reference reuses one variable for the group and its members' sections, so it blames
      // the previous member's section ([program:ok] names unknown program...); we name the group.
      if (!isProgram && !isFcgi) {
        const where = context.keyWhere(groupSection, 'programs');
        context.refuse(new ConfigError(`[${groupSection}] names unknown program or fcgi-program ${program}`, { where }));
        continue;
      }
      if (isProgram && isFcgi) {
        const where = context.keyWhere(groupSection, 'programs');
        context.refuse(new ConfigError(`[${groupSection}] name ${program} is ambiguous (exists as program and fcgi-program)`, { where }));
        continue;
      }
      // As in the reference, an [fcgi-program:x] in a group runs as a plain program: its socket
      // keys are not even read.
      const section = isProgram ? programSection : fcgiSection;
      inHeterogeneousGroup.add(section);
      processes.push(...processesFromSection(context, section, name));
    }
    groups.push({ kind: 'group', name, priority, processes, location: context.location(context.section(groupSection)) });
  }

  for (const section of all.filter((s) => s.startsWith('program:') && !inHeterogeneousGroup.has(s))) {
    const name = context.attempt(
      () => sectionName(context, section),
      () => null,
    );
    if (name === null) continue;
    const priority = keyReader(context, section, PROCESS_KEYS, here).value('priority');
    const processes = processesFromSection(context, section, name);
    groups.push({ kind: 'program', name, priority, processes, location: context.location(context.section(section)) });
  }

  for (const section of all.filter((s) => s.startsWith('eventlistener:'))) {
    const pool = context.attempt(
      () => readEventListenerPool(context, section, here),
      () => null,
    );
    if (pool !== null) groups.push(pool);
  }

  for (const section of all.filter((s) => s.startsWith('fcgi-program:') && !inHeterogeneousGroup.has(s))) {
    const group = context.attempt(
      () => readFcgiProgram(context, section, sectionName(context, section)),
      () => null,
    );
    if (group !== null) groups.push(group);
  }

  return groups.sort(byPriorityThenName);
}

function readEventListenerPool(context: LoadContext, section: string, here: Vars): ProcessGroupConfig {
  const name = afterColon(section);
  const keys = keyReader(context, section, EVENTLISTENER_KEYS, here);
  const priority = keys.value('priority');
  const bufferSize = keys.value('buffer_size');
  if (bufferSize < 1) {
    throw new ConfigError(`[${section}] section sets invalid buffer_size (${bufferSize})`, {
      where: context.keyWhere(section, 'buffer_size'),
    });
  }
  // Python handlers cannot be imported here; the daemon decides what a handler name means.
  const resultHandler = keys.value('result_handler');
  const events = [...new Set(keys.value('events').map((e) => e.toUpperCase()))];
  if (events.length === 0) {
    throw new ConfigError(`[${section}] section requires an "events" line`, { where: context.keyWhere(section, 'events') });
  }
  for (const event of events) {
    if (!isEventTypeName(event)) {
      throw new ConfigError(`Unknown event type ${event} in [${section}] events`, { where: context.keyWhere(section, 'events') });
    }
  }
  if (keys.value('redirect_stderr')) {
    throw new ConfigError(
      `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
      { where: context.keyWhere(section, 'redirect_stderr') },
    );
  }
  const listener: EventListenerSettings = { bufferSize, events, resultHandler };
  const processes = processesFromSection(context, section, name);
  return { kind: 'eventlistener', name, priority, processes, listener, location: context.location(context.section(section)) };
}

/** The name after the colon, which must be a valid process or group name. */
function sectionName(context: LoadContext, section: string): string {
  return context.at(
    () => context.sectionWhere(section),
    () => processOrGroupName(afterColon(section)),
  );
}

function afterColon(section: string): string {
  return section.slice(section.indexOf(':') + 1);
}

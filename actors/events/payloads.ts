// Each event's payload, rendered the moment it happens and worded exactly as the reference's
// (listeners parse these).
import { pyBytesRepr } from '../logs/python-repr.js';
import type { StateChange } from '../../machines/process.js';
import type { EventTypeName } from '../../config/event-types.js';
import type { OutputChannel } from '../../config/types.js';
import type { SupervisorEvent } from './types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Output bytes as text; the reference falls back to a repr for bytes that are not UTF-8. */
function outputText(data: Buffer): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    return `Undecodable: ${pyBytesRepr(data)}`;
  }
}

/** The PROCESS_STATE_* type of a change to `to`. */
export function processStateEventType(to: StateChange['to']): EventTypeName {
  return `PROCESS_STATE_${to}`;
}

/** PROCESS_STATE_* of the process `name` in `group`. */
export function processStateEvent(change: StateChange, name: string, group: string): SupervisorEvent {
  const fields: Array<[string, string | number]> = [
    ['processname', name],
    ['groupname', group],
    ['from_state', change.from],
  ];
  switch (change.to) {
    case 'STARTING':
    case 'BACKOFF':
      fields.push(['tries', change.tries]);
      break;
    case 'EXITED':
      fields.push(['expected', change.expected ? 1 : 0], ['pid', change.pid]);
      break;
    case 'RUNNING':
    case 'STOPPING':
    case 'STOPPED':
      fields.push(['pid', change.pid]);
      break;
    default:
      break;
  }
  return {
    type: processStateEventType(change.to),
    payload: fields.map(([name, value]) => `${name}:${value}`).join(' '),
  };
}

export function processLogEvent(name: string, group: string, pid: number, channel: OutputChannel, data: Buffer): SupervisorEvent {
  return {
    type: channel === 'stdout' ? 'PROCESS_LOG_STDOUT' : 'PROCESS_LOG_STDERR',
    payload: `processname:${name} groupname:${group} pid:${pid} channel:${channel}\n${outputText(data)}`,
  };
}

export function processCommunicationEvent(name: string, group: string, pid: number, channel: OutputChannel, data: Buffer): SupervisorEvent {
  return {
    type: channel === 'stdout' ? 'PROCESS_COMMUNICATION_STDOUT' : 'PROCESS_COMMUNICATION_STDERR',
    payload: `processname:${name} groupname:${group} pid:${pid}\n${outputText(data)}`,
  };
}

export function remoteCommunicationEvent(type: string, data: string): SupervisorEvent {
  return { type: 'REMOTE_COMMUNICATION', payload: `type:${type}\n${data}` };
}

export function supervisorStateEvent(state: 'RUNNING' | 'STOPPING'): SupervisorEvent {
  return { type: `SUPERVISOR_STATE_CHANGE_${state}`, payload: '' };
}

export function tickEvent(type: 'TICK_5' | 'TICK_60' | 'TICK_3600', when: number): SupervisorEvent {
  return { type, payload: `when:${when}` };
}

export function processGroupEvent(change: 'ADDED' | 'REMOVED', group: string): SupervisorEvent {
  return { type: `PROCESS_GROUP_${change}`, payload: `groupname:${group}\n` };
}

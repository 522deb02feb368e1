// What happens to the supervisord process itself: its user, its move into the background and
// its pidfile, worded as the reference words them in the activity log.
import fs from 'node:fs';
import { describeError } from '../common/errors.js';
import { pyRepr } from '../config/python.js';
import type { SupervisordConfig } from '../config/types.js';
import { lookupUser } from '../config/users.js';
import type { ActivityLog } from './logs/activity-log.js';

/** Switches the daemon to user= (initgroups, gid, uid); returns an error text or null. */
export function dropPrivileges(user: string): string | null {
  const byId = /^\d+$/.test(user);
  const entry = lookupUser(user, byId);
  if (!entry) return byId ? `Can't find uid ${user}` : `Can't find username '${user}'`;
  const current = process.getuid?.();
  if (current === entry.uid) return null;
  if (current !== 0) return "Can't drop privilege as nonroot user";
  try {
    // process.initgroups exists on POSIX but is missing from @types/node.
    (process as NodeJS.Process & { initgroups?: (user: string, group: number) => void }).initgroups?.(entry.name, entry.gid);
    process.setgid?.(entry.gid);
    process.setuid?.(entry.uid);
  } catch (error) {
    return `Could not set user id of the process: ${describeError(error)}`;
  }
  return null;
}

/**
 * What the reference does once its servers are open and it has forked into the background:
 * change into directory= and apply umask= (the activity log already exists by then).
 */
export function enterBackground(supervisord: SupervisordConfig, log: ActivityLog): void {
  log.info('daemonizing the supervisord process');
  if (supervisord.directory) {
    try {
      process.chdir(supervisord.directory);
      log.info(`set current directory: ${pyRepr(supervisord.directory)}`);
    } catch (error) {
      log.critical(`can't chdir into ${pyRepr(supervisord.directory)}: ${describeError(error)}`);
    }
  }
  process.umask(supervisord.umask);
}

/** The pidfile this process wrote, removed when it exits. */
export class Pidfile {
  private path: string | null = null;

  write(path: string, log: ActivityLog): void {
    try {
      fs.writeFileSync(path, `${process.pid}\n`);
      this.path = path;
      log.info(`supervisord started with pid ${process.pid}`);
    } catch {
      log.critical(`could not write pidfile ${path}`);
    }
  }

  remove(): void {
    if (!this.path) return;
    const path = this.path;
    this.path = null;
    try {
      fs.unlinkSync(path);
    } catch {
      // Already gone: nothing to clean up.
    }
  }
}

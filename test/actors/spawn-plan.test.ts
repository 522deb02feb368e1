// What a child is executed with for [supervisord] children_die_with_daemon (ours): setpriv sets
// the parent-death signal (the program's stopsignal) after any switch of user, and the program
// keeps the argv[0] written in command=; without the key the plan is the program itself.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { childSpawnPlan } from '../../actors/spawn-plan.js';
import { processConfig } from '../harness/fake-system.js';

const SLEEP = { filename: '/bin/sleep', argv: ['sleep', '100'] };
const isRoot = process.getuid?.() === 0;

/** The words after setpriv's own options: what it executes. */
function executed(args: readonly string[]): string[] {
  return args.slice(args.indexOf('--') + 1);
}

describe('spawn plan with children_die_with_daemon', () => {
  it('runs the program through setpriv --pdeathsig with its stopsignal, keeping its argv[0]', () => {
    const plan = childSpawnPlan(processConfig('x', { stopsignal: 'SIGINT' }), SLEEP, true);
    assert.match(plan.file, /setpriv$/);
    assert.deepEqual(plan.args.slice(0, plan.args.indexOf('--')), ['--pdeathsig=INT']);
    // bash's exec -a gives the program the argv[0] of command=.
    const [bash, ...words] = executed(plan.args);
    assert.match(bash ?? '', /bash$/);
    assert.deepEqual(words.slice(-3), ['sleep', '/bin/sleep', '100']);
  });

  it('sets the signal after switching to user= (a change of credentials would clear it)', { skip: isRoot ? false : 'needs root' }, () => {
    const plan = childSpawnPlan(processConfig('x', { user: 'nobody' }), SLEEP, true);
    assert.deepEqual(plan.args.slice(0, plan.args.indexOf('--')), ['--reuid=65534', '--regid=65534', '--init-groups', '--pdeathsig=TERM']);
  });

  it('without the key, runs the program itself', () => {
    const plan = childSpawnPlan(processConfig('x'), SLEEP, false);
    assert.deepEqual([plan.file, ...plan.args, plan.argv0], ['/bin/sleep', '100', 'sleep']);
  });
});

// End-to-end: depends_on= (our extension) with a real daemon: a chain web -> api -> db plus a
// one-shot migrate task start in dependency order whatever their priorities, and stop in the
// reverse order at shutdown; a dependency that goes FATAL takes its waiting dependent with it;
// startProcess starts what the process depends on. Ours only: the reference ignores the key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiConfig } from '../harness/config-text.js';
import { terminate, underTest, withDaemon } from '../harness/daemon.js';
import { httpRequest } from '../harness/raw-http.js';
import { call, unixTarget, waitForRpc, waitForState } from '../harness/rpc.js';

/** Each program waits a little before counting as started, so a wrong order would show. */
const CHAIN = [
  '[program:web]',
  'command=sleep 1000',
  'priority=1',
  'depends_on=api',
  'startsecs=0',
  '[program:api]',
  'command=sleep 1000',
  'priority=2',
  'depends_on=db, migrate:completed',
  'startsecs=1',
  '[program:db]',
  'command=sleep 1000',
  'priority=3',
  'startsecs=1',
  '[program:migrate]',
  "command=sh -c 'sleep 0.3; exit 0'",
  'priority=4',
  'autostart=false',
  'autorestart=false',
  'startsecs=0',
  '',
].join('\n');

describe(
  `e2e depends_on= (${underTest})`,
  { concurrency: true, skip: underTest === 'ours' ? false : 'depends_on= is our extension' },
  () => {
    it('start in dependency order, then a shutdown stops dependents first', async () => {
      await withDaemon(apiConfig({ body: CHAIN }), {}, async (d) => {
        await d.waitForLine(/success: web /);
        const order = d
          .matching(/^INFO (spawned|success|exited): '?(web|api|db|migrate)/)
          .map((line) => line.replace(/ with pid \S+|,.*| \(.*/g, ''));
        const at = (line: string) => {
          const index = order.indexOf(line);
          assert.ok(index >= 0, `${line} in ${order.join(' | ')}`);
          return index;
        };
        assert.ok(at('INFO success: db entered RUNNING state') < at("INFO spawned: 'api'"), 'api after db is RUNNING');
        assert.ok(at('INFO exited: migrate') < at("INFO spawned: 'api'"), 'api after migrate completed');
        assert.ok(at('INFO success: api entered RUNNING state') < at("INFO spawned: 'web'"), 'web after api is RUNNING');
        assert.equal(await terminate(d), 0);
        const stops = d.matching(/^(INFO|WARN) stopped: /).map((line) => line.split(' ')[2]);
        assert.deepEqual(stops, ['web', 'api', 'db'], 'dependents stop before what they depend on');
      });
    });

    it('a dependency that goes FATAL takes its waiting dependent with it; startProcess starts the dependencies', async () => {
      const body = [
        '[program:db]',
        "command=sh -c 'exit 1'",
        'autostart=false',
        'startretries=0',
        '[program:web]',
        'command=sleep 1000',
        'autostart=false',
        'depends_on=db',
        '',
      ].join('\n');
      await withDaemon(apiConfig({ body }), {}, async (d) => {
        const unix = unixTarget(d);
        await waitForRpc(unix);
        await assert.rejects(call(unix, 'supervisor.startProcess', 'web'), /SPAWN_ERROR: web/);
        const web = (await call(unix, 'supervisor.getProcessInfo', 'web')) as Record<string, unknown>;
        assert.equal(web['statename'], 'FATAL');
        assert.equal(web['spawnerr'], 'dependency db entered FATAL');
        // Members of ours for processes with our start-up keys, none for the others.
        assert.deepEqual([web['readiness'], web['restarts'], web['next_retry']], ['', 0, 0]);
        const db = (await call(unix, 'supervisor.getProcessInfo', 'db')) as Record<string, unknown>;
        assert.equal('restarts' in db, false);
        await waitForState(unix, 'db', ['FATAL']);
        assert.ok(d.matching(/gave up: web entered FATAL state, dependency db entered FATAL/).length === 1);
        const info = (await call(unix, 'supervisor.getAllConfigInfo')) as Array<Record<string, unknown>>;
        assert.equal(info.find((i) => i['name'] === 'web')?.['depends_on'], 'db');
        assert.equal(info.find((i) => i['name'] === 'db')?.['depends_on'], undefined, 'no member where the key is not set');
        // The dashboard draws the graph: a box per process, an arrow from web to db.
        const page = (await httpRequest(unix, { method: 'GET', path: '/' })).body;
        assert.match(page, /<svg class="diagram dependencies"/);
        assert.match(page, /class="dep-node state-FATAL" data-name="web:web"/);
        assert.match(page, /<title>web:web depends on db:db<\/title>/);
        assert.equal(await terminate(d), 0);
      });
    });
  },
);

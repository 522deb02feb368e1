// The state diagrams: what the generator draws for the shapes a machine can take (transitions
// of the root and of compound states, action-only transitions, loops, final and parallel
// states), docs/diagrams kept fresh, and every diagram accepted by the real parsers: Graphviz's
// dot, and Mermaid's own parser and renderer in headless Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { assign, emit, setup, type AnyStateMachine } from 'xstate';
import { describeMachine, type StateBox } from '../../machines/diagram.js';
import { toDot, toMermaid } from '../../machines/diagram-formats.js';
import { renderDiagrams } from '../../machines/write-diagrams.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../harness/chromium.js';
import { repoRoot } from '../paths.js';

/** Transitions at every level: the root's, a compound state's, overridden or not below. */
const layered = setup({
  types: { context: {} as { flagged: boolean } },
  actions: {
    // Named actions are drawn by name, whatever implements them.
    spawn: emit({ type: 'spawn' }),
    log: () => {},
  },
  guards: { ready: () => true },
}).createMachine({
  id: 'layered',
  context: { flagged: false },
  initial: 'idle',
  on: {
    RESET: '.idle',
    PING: { actions: 'log' },
    FLAG: { actions: assign({ flagged: true }) },
  },
  states: {
    idle: { entry: 'spawn', on: { GO: 'busy', FINISH: 'done' } },
    busy: {
      initial: 'one',
      on: { ABORT: 'idle' },
      states: {
        // A guarded RESET does not hide the root's: it applies when the guard fails.
        one: { on: { NEXT: 'two', RESET: { guard: 'ready', target: 'two' } } },
        // Handles ABORT and PING itself, so busy's ABORT and the root's PING never apply here.
        two: { on: { ABORT: 'one', PING: {} } },
      },
    },
    locked: { on: { RESET: { actions: 'log' } } },
    done: { type: 'final' },
  },
});

/** Transitions to the state they leave, and a delay of the root's. */
const loops = setup({ actions: { log: () => {} } }).createMachine({
  id: 'loops',
  initial: 'a',
  after: { 1000: '.b' },
  states: {
    a: { on: { STAY: { target: 'a', actions: 'log' }, AGAIN: { target: 'a', reenter: true } } },
    b: { on: { BACK: 'a', WHEN: { guard: ({ event }) => event.type === 'WHEN', target: 'a' } } },
  },
});

/** Parallel regions, at the root and inside a state, with final states. */
const parallel = setup({}).createMachine({
  id: 'parallel',
  type: 'parallel',
  states: {
    left: { initial: 'x', states: { x: { on: { FLIP: 'y' } }, y: { on: { FLIP: 'x' } } } },
    right: {
      initial: 'p',
      states: {
        p: { on: { SPLIT: 'q' } },
        q: {
          type: 'parallel',
          states: {
            up: { initial: 'u1', states: { u1: { on: { END: 'u2' } }, u2: { type: 'final' } } },
            down: { initial: 'd1', states: { d1: {} } },
          },
        },
      },
    },
  },
});

/** An outer transition that one region of a parallel state answers itself in one of its states. */
const preempted = setup({}).createMachine({
  id: 'preempted',
  initial: 'both',
  on: { DONE: '.over' },
  states: {
    both: {
      type: 'parallel',
      states: {
        clock: { initial: 'tick', states: { tick: { on: { TICK: 'tock' } }, tock: {} } },
        work: { initial: 'busy', states: { busy: { on: { DONE: 'idle' } }, idle: {} } },
      },
    },
    over: {},
  },
});

const examples: Record<string, AnyStateMachine> = { layered, loops, parallel, preempted };

function edgesOf(machine: AnyStateMachine): string[] {
  return describeMachine(machine).edges.map((e) => `${e.from} -> ${e.to}: ${e.label}`);
}

function internalOf(machine: AnyStateMachine): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  const visit = (box: StateBox) => {
    if (box.internal.length) found[box.path] = box.internal;
    box.children.forEach(visit);
  };
  visit(describeMachine(machine).root);
  return found;
}

describe('what the diagrams draw', () => {
  it("draws the root's transitions from every state that does not handle the event itself", () => {
    const edges = edgesOf(layered);
    assert.ok(edges.includes('idle -> idle: RESET'), 'leaving idle for idle re-enters it');
    assert.ok(edges.includes('busy -> idle: RESET'), 'no state inside busy overrides RESET unguarded');
    assert.ok(edges.includes('busy.one -> busy.two: RESET [ready]'));
    assert.ok(!edges.some((e) => e.startsWith('locked -> ')), 'locked handles RESET itself');
    assert.ok(!edges.some((e) => e.startsWith('done -> ')), 'the machine is over once done');
    assert.ok(!edges.some((e) => e.startsWith(' ->') || e.startsWith('-> ')), 'the root is never a source');
  });

  it("draws a compound state's transition from the box, or from the children that do not override it", () => {
    const edges = edgesOf(layered);
    assert.ok(edges.includes('busy.one -> idle: ABORT'));
    assert.ok(edges.includes('busy.two -> busy.one: ABORT'));
    assert.ok(!edges.includes('busy -> idle: ABORT'), 'busy.two overrides ABORT');
    assert.ok(edges.includes('busy.one -> busy.two: NEXT'));
  });

  it('writes an action-only transition inside each box it applies to, its actions all named', () => {
    assert.deepEqual(internalOf(layered), {
      idle: ['PING / log', 'FLAG / assign flagged'],
      busy: ['FLAG / assign flagged'],
      'busy.one': ['PING / log'],
      'busy.two': ['PING'],
      locked: ['RESET / log', 'PING / log', 'FLAG / assign flagged'],
    });
  });

  it('shows named actions by name, and marks an unnamed guard as a condition', () => {
    const idle = describeMachine(layered).root.children.find((box) => box.path === 'idle');
    assert.deepEqual(idle?.entry, ['spawn']);
    assert.ok(edgesOf(loops).includes('b -> a: WHEN [inline guard]'));
  });

  it("writes an atomic state's transition to itself inside it, and draws a re-entry as a loop", () => {
    assert.deepEqual(internalOf(loops), { a: ['STAY / log'] });
    assert.deepEqual(
      edgesOf(loops).filter((e) => !e.includes('WHEN')),
      ['a -> a: AGAIN', 'a -> b: after 1000ms', 'b -> a: BACK', 'b -> b: after 1000ms'],
    );
  });

  it('marks final states and separates parallel regions', () => {
    const mermaid = toMermaid(parallel);
    assert.match(mermaid, /^ +--$/m);
    assert.match(mermaid, /right__q__up__u2 --> \[\*\]/);
    assert.match(toDot(parallel), /"right\.q\.up\.u2" \[label="u2", peripheries=2\];/);
  });

  it('draws an outer transition inside a parallel state from the states of the region that overrides it', () => {
    const edges = edgesOf(preempted);
    // XState prefers work.busy's own DONE: the outer one applies only once work is idle.
    assert.ok(edges.includes('both.work.busy -> both.work.idle: DONE'));
    assert.ok(edges.includes('both.work.idle -> over: DONE'));
    assert.ok(!edges.some((e) => e.startsWith('both.clock') && e.includes('DONE')), 'the clock region never takes DONE');
    assert.ok(!edges.includes('both -> over: DONE'));
  });

  it('draws every process state and its automatic transitions', () => {
    const mermaid = renderDiagrams().get('process.mmd') ?? '';
    for (const state of ['STOPPED', 'STARTING', 'RUNNING', 'BACKOFF', 'STOPPING', 'EXITED', 'FATAL', 'UNKNOWN']) {
      assert.match(mermaid, new RegExp(`state "${state}[<"]`));
    }
    assert.match(mermaid, /EXITED --> STARTING: always \[restartsAfterExit\]/);
    assert.match(mermaid, /BACKOFF --> FATAL: always \[outOfRetries\]/);
    assert.match(mermaid, /STOPPING__signals__signalled --> STOPPING__signals__killing: after stopwaitsecs/);
    assert.match(mermaid, /STOPPING__tree__child --> STOPPING__tree__descendants: EXIT \[stopsTree\]/);
    assert.match(mermaid, /STOPPING__tree__descendants --> STOPPED: TREE_GONE/);
  });
});

describe('docs/diagrams', () => {
  it('matches the machine definitions (run `npm run diagrams`)', () => {
    const dir = path.join(repoRoot, 'docs', 'diagrams');
    const rendered = renderDiagrams();
    assert.deepEqual(fs.readdirSync(dir).sort(), [...rendered.keys()].sort(), 'docs/diagrams holds exactly the generated files');
    for (const [file, content] of rendered) {
      assert.equal(fs.readFileSync(path.join(dir, file), 'utf8'), content, `docs/diagrams/${file} is stale`);
    }
  });
});

/** Every diagram to check: those of docs/diagrams and those of the examples above. */
function allDiagrams(extension: 'mmd' | 'dot'): Array<[string, string]> {
  const examplesDrawn = Object.entries(examples).map(([name, machine]): [string, string] => [
    `${name}.${extension}`,
    extension === 'mmd' ? toMermaid(machine) : toDot(machine, name),
  ]);
  return [...[...renderDiagrams()].filter(([file]) => file.endsWith(`.${extension}`)), ...examplesDrawn];
}

const dotMissing = spawnSync('dot', ['-V']).error ? "Graphviz's dot is not installed (apt-get install -y graphviz)" : false;

describe('Graphviz', { skip: dotMissing }, () => {
  for (const [file, text] of allDiagrams('dot')) {
    it(`lays out ${file} without an error or a warning`, () => {
      const result = spawnSync('dot', ['-Tsvg', '-o', '/dev/null'], { input: text, encoding: 'utf8' });
      assert.equal(result.stderr, '');
      assert.equal(result.status, 0);
    });
  }
});

/** The parts of the Mermaid API used here, as the page sees it. */
interface MermaidApi {
  initialize(config: { startOnLoad: boolean }): void;
  parse(text: string): Promise<unknown>;
  render(id: string, text: string): Promise<{ svg: string }>;
}

describe('Mermaid', { skip: chromiumMissing() }, () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    await page.setContent('<!doctype html><title>diagrams</title>');
    // The bundle from node_modules: nothing is fetched.
    await page.addScriptTag({ path: path.join(repoRoot, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    await page.evaluate(() => (globalThis as unknown as { mermaid: MermaidApi }).mermaid.initialize({ startOnLoad: false }));
  });

  after(async () => {
    await browser?.close();
  });

  allDiagrams('mmd').forEach(([file, text], i) => {
    it(`parses and renders ${file}`, async () => {
      const outcome = await page.evaluate(
        async ({ text, id }) => {
          const { mermaid } = globalThis as unknown as { mermaid: MermaidApi };
          try {
            await mermaid.parse(text);
            const { svg } = await mermaid.render(id, text);
            return svg.includes('<svg') ? 'rendered' : `no SVG: ${svg.slice(0, 200)}`;
          } catch (error) {
            return error instanceof Error ? error.message : String(error);
          }
        },
        { text, id: `diagram${i}` },
      );
      assert.equal(outcome, 'rendered', `${file}:\n${text}`);
    });
  });
});

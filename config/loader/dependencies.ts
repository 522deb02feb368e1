// depends_on= (ours): which processes must be RUNNING (or, with :completed, have EXITED as
// expected) before a process starts. Resolved once every group is read, so a name may point at
// a section anywhere in the files; an unknown name or a cycle is an error naming the section.
import { listOfStrings } from '../datatypes.js';
import { ConfigError, type Dependency, type ProcessConfig, type ProcessGroupConfig } from '../types.js';
import type { LoadContext } from './context.js';

const COMPLETED = ':completed';

interface Member {
  group: string;
  process: ProcessConfig;
}

const namespec = ({ group, process }: Member) => (group === process.name ? group : `${group}:${process.name}`);

/** Fills in each process's dependsOn; refuses a name that names nothing, and each cycle. */
export function resolveDependencies(context: LoadContext, groups: ProcessGroupConfig[]): void {
  const members: Member[] = groups.flatMap((group) => group.processes.map((process) => ({ group: group.name, process })));
  const bySection = new Map<string, Member[]>();
  for (const member of members) {
    const name = member.process.section.slice(member.process.section.indexOf(':') + 1);
    if (/^(fcgi-)?program:/.test(member.process.section)) bySection.set(name, [...(bySection.get(name) ?? []), member]);
  }
  const byNamespec = new Map(members.map((member) => [`${member.group}:${member.process.name}`, member]));
  const edges = new Map<Member, Member[]>();
  for (const member of members) {
    const { section } = member.process;
    const text = context.attempt(
      () =>
        context.at(
          () => context.keyWhere(section, 'depends_on'),
          () => context.get(section, 'depends_on', null, new Map([['here', context.here]])),
        ),
      () => null,
    );
    if (text === null) continue;
    const dependencies: Dependency[] = [];
    const targets: Member[] = [];
    for (const item of listOfStrings(text).filter(Boolean)) {
      const completed = item.endsWith(COMPLETED);
      const name = completed ? item.slice(0, -COMPLETED.length) : item;
      const found = name.includes(':') ? [byNamespec.get(name)].filter((m) => m !== undefined) : (bySection.get(name) ?? []);
      // A [program:x] that is there but yields nothing was refused already (when collecting errors).
      if (found.length === 0 && !(context.collecting && context.doc.has(`program:${name}`))) {
        context.refuse(
          new ConfigError(`depends_on names ${name}, which is no program`, { where: context.keyWhere(section, 'depends_on') }),
        );
      }
      for (const target of found) {
        dependencies.push({ group: target.group, name: target.process.name, completed });
        targets.push(target);
      }
    }
    member.process.dependsOn = dependencies;
    edges.set(member, targets);
  }
  refuseCycles(context, members, edges);
}

function refuseCycles(context: LoadContext, members: Member[], edges: Map<Member, Member[]>): void {
  const done = new Set<Member>();
  const path: Member[] = [];
  const visit = (member: Member): void => {
    const at = path.indexOf(member);
    if (at >= 0) {
      const cycle = [...path.slice(at), member].map(namespec).join(' -> ');
      context.refuse(new ConfigError(`dependency cycle ${cycle}`, { where: context.keyWhere(member.process.section, 'depends_on') }));
      return;
    }
    if (done.has(member)) return;
    path.push(member);
    for (const target of edges.get(member) ?? []) visit(target);
    path.pop();
    done.add(member);
  };
  for (const member of members) visit(member);
}

// What every section reader of the loader shares: the parsed files, the expansion names, the
// messages, and typed reads of a section's keys through the configuration table.
import os from 'node:os';
import path from 'node:path';
import { convert } from '../convert.js';
import { expand } from '../expand.js';
import { IniDocument, type IniSection } from '../ini.js';
import type { DatatypeValues, KeySpec, KeyTable } from '../schema/keys.js';
import { ConfigError, type EnvFileSetting, type LoadMessage, type Place, type SourceLocation, type SupervisordConfig } from '../types.js';

export interface LoadOptions {
  /** The daemon's environment: ENV_x expansions and ~ expansion. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Command-line options; they take precedence over the file. */
  overrides?: Partial<SupervisordConfig>;
  /** Directory relative paths (logfile, pidfile, sockets) are resolved against. Defaults to process.cwd(). */
  cwd?: string;
  /**
   * Go on after an error where the rest can still be read (another key, another section) and
   * keep every error in `errors`, instead of throwing the first (supervisord --check).
   */
  collectErrors?: boolean;
}

/** One of our own warnings, with the place it is about and its text without that place (for --check). */
export interface OwnWarning {
  kind: NonNullable<LoadMessage['kind']>;
  text: string;
  place: Place;
  reason: string;
}

/** Names a value may expand, as %(name)s; only process_num and numprocs are numbers. */
export type Vars = Map<string, string | number>;

export class LoadContext {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The main file's directory: %(here)s. */
  readonly here: string;
  readonly hostname = os.hostname();
  readonly doc = new IniDocument();
  /** ENV_x names; extended by [supervisord] environment= before programs are read. */
  readonly envVars: Vars = new Map();
  /** The reference's own warnings and infos, in its order. */
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  /** Our own warnings about what the reference accepts without a word, in the order found. */
  readonly ownWarnings: OwnWarning[] = [];
  /** With collectErrors: every error found, in the order found. */
  readonly errors: ConfigError[] = [];
  /** Absolute paths of the files read, the main one first. */
  readonly files: string[] = [];
  /**
   * absolute()'s answers: every program's locations name the same few files, and path.resolve
   * builds a new string each time (~330 bytes each, kept in the config).
   */
  private readonly absolutes = new Map<string, string>();

  constructor(
    /** The main file, as given. */
    readonly file: string,
    readonly options: LoadOptions,
  ) {
    this.env = options.env ?? process.env;
    this.cwd = options.cwd ?? process.cwd();
    this.here = path.dirname(path.resolve(this.cwd, file));
    for (const [k, v] of Object.entries(this.env)) if (v !== undefined) this.envVars.set(`ENV_${k}`, v);
  }

  /** The raw value of a key (the section's own, else [DEFAULT]'s), or null when absent. */
  raw(section: string, key: string): string | null {
    return this.doc.get(section, key)?.value ?? null;
  }

  /** A value expanded with the ENV_ names plus `vars`, like the reference's saneget. */
  get(section: string, key: string, fallback: string, vars?: Vars): string;
  get(section: string, key: string, fallback: string | null, vars?: Vars): string | null;
  get(section: string, key: string, fallback: string | null, vars: Vars = new Map()): string | null {
    const value = this.raw(section, key) ?? fallback;
    if (value === null) return null;
    // Most values name nothing to expand: no merged copy of every ENV_ name for those.
    const names = value.includes('%') ? new Map([...this.envVars, ...vars]) : vars;
    return expand(value, names, `${section}.${key}`);
  }

  location(section: IniSection): SourceLocation {
    return { file: this.absolute(section.file), line: section.line };
  }

  /** "[program:a] at /etc/supervisord.conf:12": where a section starts, for an error about it. */
  sectionWhere(section: string): Place {
    const found = this.doc.sections.get(section);
    return found === undefined
      ? { file: this.absolute(this.file), section }
      : { file: this.absolute(found.file), line: found.line, section };
  }

  /** "[program:a] startsecs= at /etc/supervisord.conf:14": where a key's value is written ([DEFAULT]'s when the section has none). */
  keyWhere(section: string, key: string): Place {
    const value = this.doc.get(section, key);
    return value === undefined ? this.sectionWhere(section) : { file: this.absolute(value.file), line: value.line, section, key };
  }

  get collecting(): boolean {
    return this.options.collectErrors === true;
  }

  /** Refuses the configuration: throws `error`, or, when collecting, keeps it and lets the load go on. */
  refuse(error: ConfigError): void {
    if (!this.collecting) throw error;
    this.errors.push(error);
  }

  /**
   * Reads one part (a key, a section). A ConfigError it throws is refused; when collecting,
   * `fallback` then stands in for what it would have read. An error that follows others found
   * within the same `read` is most likely their consequence (a section incomplete because one
   * of its keys was refused) and is not kept.
   */
  attempt<R>(read: () => R, fallback: () => R): R {
    const before = this.errors.length;
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ConfigError) || !this.collecting) throw err;
      if (this.errors.length === before) this.errors.push(err);
      return fallback();
    }
  }

  /** Runs `read`, locating a ConfigError it throws at `where` unless it names a place already. */
  at<R>(where: () => string | Place, read: () => R): R {
    try {
      return read();
    } catch (err) {
      throw err instanceof ConfigError ? err.locatedAt(where()) : err;
    }
  }

  /** env_file= of a section, each relative path made absolute against the directory of the file the key is written in. */
  envFiles(section: string, files: EnvFileSetting[]): EnvFileSetting[] {
    const written = this.doc.get(section, 'env_file')?.file ?? this.file;
    const directory = path.dirname(this.absolute(written));
    return files.map((file) => ({ ...file, path: path.resolve(directory, file.path) }));
  }

  /** A file as the loader was given it, made absolute. */
  absolute(file: string): string {
    let resolved = this.absolutes.get(file);
    if (resolved === undefined) {
      resolved = path.resolve(this.cwd, file);
      this.absolutes.set(file, resolved);
    }
    return resolved;
  }

  section(name: string): IniSection {
    return this.doc.sections.get(name)!;
  }

  sectionsStartingWith(prefix: string): string[] {
    return [...this.doc.sections.keys()].filter((s) => s.startsWith(prefix));
  }

  messages(): LoadMessage[] {
    return [
      ...this.warnings.map((text): LoadMessage => ({ level: 'warn', text })),
      ...this.ownWarnings.map(({ kind, text }): LoadMessage => ({ level: 'warn', text, kind })),
      ...this.infos.map((text): LoadMessage => ({ level: 'info', text })),
    ];
  }
}

/** A key's value: null only for a key without a default. */
type Value<S extends KeySpec> = S['default'] extends string ? DatatypeValues[S['type']] : DatatypeValues[S['type']] | null;
type Text<S extends KeySpec> = S['default'] extends string ? string : string | null;

/** Reads the keys of one section, with their table's defaults and datatypes. */
export interface KeyReader<T extends KeyTable> {
  /** The expanded text (as written, for a key read unexpanded), the default when absent. */
  text<K extends keyof T & string>(key: K): Text<T[K]>;
  text<K extends keyof T & string>(key: K, fallback: string): string;
  /** The converted text. */
  value<K extends keyof T & string>(key: K): Value<T[K]>;
  value<K extends keyof T & string>(key: K, fallback: string): DatatypeValues[T[K]['type']];
  /** Converts a text obtained otherwise as the key's datatype. */
  convert<K extends keyof T & string>(key: K, text: string): DatatypeValues[T[K]['type']];
  /** Runs `read` (a further expansion or conversion of the key's text), locating its errors at the key. */
  at<R>(key: keyof T & string, read: () => R): R;
}

/**
 * `vars` are the names the section's values may expand (a mutable map: later reads see additions).
 * Errors name the key and where its value is written.
 */
export function keyReader<T extends KeyTable>(context: LoadContext, section: string, keys: T, vars: Vars = new Map()): KeyReader<T> {
  const at = <R>(key: string, read: () => R): R => context.at(() => context.keyWhere(section, key), read);
  // When collecting errors, a refused key reads as its default, so that the rest of the section is still checked.
  const text = (key: string, fallback?: string): string | null => {
    const spec = keys[key]!;
    const value = fallback ?? spec.default;
    if (spec.expand === false) return context.raw(section, key) ?? value;
    const keyVars: Vars = spec.here ? new Map([...vars, ['here', context.here]]) : vars;
    return context.attempt(
      () => at(key, () => context.get(section, key, value, keyVars)),
      () => value,
    );
  };
  const convertAs = (key: string, value: string) => at(key, () => convert(keys[key]!.type, value, context.env));
  return {
    at,
    text: text as KeyReader<T>['text'],
    value: ((key: string, fallback?: string) => {
      const value = text(key, fallback);
      if (value === null) return null;
      const byDefault = fallback ?? keys[key]!.default;
      return context.attempt(
        () => convertAs(key, value),
        () => (byDefault === null ? null : convertAs(key, byDefault)),
      );
    }) as KeyReader<T>['value'],
    convert: convertAs as KeyReader<T>['convert'],
  };
}

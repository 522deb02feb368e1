// The converter behind each datatype of the configuration table.
import {
  autoRestart,
  backoffKind,
  boolean,
  byteSize,
  colonSeparatedUserGroup,
  dictOfKeyValuePairs,
  envFiles,
  existingDirectory,
  existingDirpath,
  inetAddress,
  integer,
  listOfExitcodes,
  listOfStrings,
  loggingLevel,
  logFormat,
  logfileName,
  nameToUid,
  octalType,
  processOrGroupName,
  retries,
  rotationPeriod,
  seconds,
  signalName,
} from './datatypes.js';
import { livenessCheck, readinessCheck } from './health-checks.js';
import type { Datatype, DatatypeValues } from './schema/keys.js';

type Converters = { readonly [D in Datatype]: (text: string, env: NodeJS.ProcessEnv) => DatatypeValues[D] };

const CONVERTERS: Converters = {
  string: (text) => text,
  integer,
  boolean,
  'byte-size': byteSize,
  octal: octalType,
  'logging-level': loggingLevel,
  signal: signalName,
  'auto-restart': autoRestart,
  'exit-codes': listOfExitcodes,
  'list-of-strings': listOfStrings,
  'key-value-pairs': dictOfKeyValuePairs,
  'env-files': envFiles,
  'existing-directory': existingDirectory,
  'existing-dirpath': existingDirpath,
  'child-logfile': logfileName,
  'process-name': processOrGroupName,
  user: (text) => {
    nameToUid(text);
    return text;
  },
  'user-and-group': colonSeparatedUserGroup,
  'inet-address': inetAddress,
  retries,
  'backoff-kind': backoffKind,
  seconds,
  'readiness-check': readinessCheck,
  'liveness-check': livenessCheck,
  'log-format': logFormat,
  'rotation-period': rotationPeriod,
};

/** The value of `text` as `type`; throws the converter's ConfigError. */
export function convert<D extends Datatype>(type: D, text: string, env: NodeJS.ProcessEnv): DatatypeValues[D] {
  const converter: (text: string, env: NodeJS.ProcessEnv) => DatatypeValues[D] = CONVERTERS[type];
  return converter(text, env);
}

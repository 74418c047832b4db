// @cni-ts/skel: the CNI protocol for plugins written in TypeScript. Every public name is listed here.

// versions
export { versions, compareVersions, versionAtLeast, isCniVersion, type CniVersion } from './versions.ts';

// errors
export { ErrorCode, CniError, isCniError } from './errors.ts';
export { toCniError, zodToCniError } from './to-cni-error.ts';
export { formatIssue, formatPath, type IssueLike } from './zod-issues.ts';

// results: the 1.x model, parsing any version, converting and printing
export type { Result, Interface, IpConfig, Route, Dns } from './result/model.ts';
export { parseResult } from './result/parse.ts';
export { convertResult, formatResult } from './result/convert.ts';
export { resultSchema, type Result020Json, type Result040Json, type Result100Json } from './result/schemas.ts';

// configuration
export { PluginConf, DnsConf, ciObject } from './config.ts';
export { parseCniArgs, type CniArgs } from './cni-args.ts';
export { conventionArg, type ConventionValue } from './conventions.ts';

// capabilities a plugin declares (checked before every verb but VERSION)
export { LinuxCapability, effectiveCapabilities, requireCapabilities } from './capabilities.ts';

// plugin definition and entry
export {
  definePlugin,
  type PluginDefinition,
  type CommandVerb,
  type CommandContext,
  type AddContext,
  type DelContext,
  type CheckContext,
  type StatusContext,
  type GcContext,
  type Attachment,
} from './plugin.ts';
export { runPlugin } from './dispatch.ts';
export type { PluginIo } from './io.ts';

// delegation
export { type Delegate, type DelegateRunner, type DelegateRequest, defaultDelegateTimeoutMs } from './delegate.ts';
export { createExecRunner, type ExecRunnerOptions } from './exec-runner.ts';
// in-process delegation to the same build (bundles embed the plugins they delegate to; see same-build.ts)
export { createEmbeddedRunner, type EmbeddedRunnerOptions } from './embedded-runner.ts';
export {
  embedPlugins,
  readBuildMarker,
  formatBuildMarker,
  buildMarkerPrefix,
  type BuildMarker,
  type EmbeddedPlugins,
  type PluginLoader,
} from './same-build.ts';

// rollback and logging
export { Rollback, type UndoStep } from './rollback.ts';
export { createLogger, parseLogLevel, type Logger, type LogLevel } from './logger.ts';

// Checks a network configuration the way the plugins will see it: the list's structure first, then every
// request libcni would build, each parsed by the config schema of the plugin that reads it (the plugin named
// by `type`, and the IPAM plugin named by `ipam.type`, which receives the same request). All problems are
// collected, none stops the others.
import { formatIssue, formatPath, type IssueLike } from '@cni-ts/skel';
import { ConfList, isConfList, requestsOf, type PluginRequest } from './conflist.ts';

type IssuePath = readonly PropertyKey[];

/** What validate needs from a plugin's config schema (a zod/mini schema satisfies it). */
export interface ConfigSchema {
  safeParse(input: unknown, params?: { reportInput?: boolean }): { success: true } | { success: false; error: { issues: readonly IssueLike[] } };
}
export type SchemaRegistry = ReadonlyMap<string, ConfigSchema>;

export interface Problem { path: string; message: string }

export interface Report {
  problems: Problem[];
  /** Plugin types that were checked against a schema, in file order. */
  checked: string[];
  /** Plugin types that are not cni-ts plugins: only the list structure around them was checked. */
  unchecked: string[];
}

function issuesOf(schema: ConfigSchema, input: unknown): IssueLike[] {
  try {
    const r = schema.safeParse(input, { reportInput: true }); // lets messages say what was found
    return r.success ? [] : [...r.error.issues];
  } catch (err) {
    // A schema that throws instead of reporting is a bug in the plugin, but it must not hide the other problems.
    return [{ path: [], message: `the schema failed: ${err instanceof Error ? err.message : String(err)}` }];
  }
}

/** Where an issue in a request belongs in the file: `name` and `cniVersion` were injected from the list. */
function locate(request: PluginRequest, path: IssuePath, isList: boolean): IssuePath {
  const [first] = path;
  if (isList && path.length === 1 && (first === 'name' || first === 'cniVersion')) return path;
  return [...request.at, ...path];
}

function checkRequest(request: PluginRequest, registry: SchemaRegistry, isList: boolean, report: Report): void {
  const ipam = request.config['ipam'];
  const ipamType = typeof ipam === 'object' && ipam !== null ? (ipam as Record<string, unknown>)['type'] : undefined;
  const readers = [request.type, ...(typeof ipamType === 'string' && ipamType !== '' ? [ipamType] : [])];
  for (const type of readers) {
    const schema = registry.get(type);
    if (!schema) {
      report.unchecked.push(type);
      continue;
    }
    report.checked.push(type);
    for (const issue of issuesOf(schema, request.config)) {
      report.problems.push(problem(locate(request, issue.path, isList), issue));
    }
  }
}

/** The plugins' own wording (skel's), so validate says what the plugin would say at ADD time. */
function problem(path: IssuePath, issue: IssueLike): Problem {
  const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
  const message = missing ? `required (expected ${String(issue.expected)})` : formatIssue({ ...issue, path: [] });
  return { path: formatPath(path) || '(root)', message };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\0${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export function validateConfig(json: unknown, registry: SchemaRegistry): Report {
  const report: Report = { problems: [], checked: [], unchecked: [] };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    report.problems.push({ path: '(root)', message: 'a network configuration must be a JSON object' });
    return report;
  }
  const obj = json as Record<string, unknown>;
  const isList = isConfList(obj);
  if (isList) {
    const list = ConfList.safeParse(obj, { reportInput: true });
    if (!list.success) {
      for (const issue of list.error.issues) report.problems.push(problem(issue.path, issue));
      return report; // requests cannot be built from a list whose structure is wrong
    }
    for (const request of requestsOf(list.data)) checkRequest(request, registry, true, report);
  } else {
    const type = obj['type'];
    if (typeof type !== 'string' || type === '') {
      report.problems.push({ path: 'type', message: 'a plugin configuration needs a "type" (or a conflist a "plugins" array)' });
      return report;
    }
    checkRequest({ type, at: [], config: obj }, registry, false, report);
  }
  report.problems = dedupe(report.problems);
  return report;
}

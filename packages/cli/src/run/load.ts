// Finding a network by name in a config directory, as libcni's LoadNetworkConf does for cnitool: `*.conflist` files
// first (sorted), then the deprecated single-plugin `*.conf`/`*.json` files, up-converted to a one-plugin list.
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseNetworkConfigList, parsePluginConfig, parseSinglePluginConfig, type NetworkConfigList } from './conflist.ts';

/** Files in `dir` with one of the extensions, sorted; a missing directory has none. */
async function confFiles(dir: string, extensions: readonly string[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => !e.isDirectory() && extensions.includes(extname(e.name)))
    .map((e) => join(dir, e.name))
    .sort();
}

async function readConf(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new Error(`error reading ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * A conflist file plus, unless `loadOnlyInlinedPlugins`, the plugin objects in `<dir>/<network name>/*.conf`
 * appended to its `plugins` (post-1.1.0 libcni). A list that ends up with no plugins is an error.
 */
export async function loadNetworkConfigListFile(file: string, dir: string): Promise<NetworkConfigList> {
  const list = parseNetworkConfigList(await readConf(file));
  let plugins = list.plugins;
  if (!list.loadOnlyInlinedPlugins) {
    const extra = await confFiles(join(dir, list.name), ['.conf']);
    for (const f of extra) {
      const raw: unknown = JSON.parse((await readConf(f)).toString());
      plugins = [...plugins, parsePluginConfig(raw as Record<string, unknown>)];
    }
  }
  if (plugins.length === 0) throw new Error('no plugin configs found');
  return { ...list, plugins };
}

export async function loadNetworkConfigList(dir: string, name: string): Promise<NetworkConfigList> {
  const lists = await confFiles(dir, ['.conflist']);
  for (const file of lists) {
    const list = await loadNetworkConfigListFile(file, dir);
    if (list.name === name) return list;
  }
  const singles = await confFiles(dir, ['.conf', '.json']);
  if (singles.length === 0) {
    throw new Error(lists.length > 0 ? `no net configuration with name "${name}" in ${dir}` : `no net configurations found in ${dir}`);
  }
  for (const file of singles) {
    const single = parseSinglePluginConfig(await readConf(file));
    if (single.name === name) return single.list;
  }
  throw new Error(`no net configuration with name "${name}" in ${dir}`);
}

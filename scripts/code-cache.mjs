// A trained V8 code cache for each bundled plugin. Node 20 has no compile cache for plain scripts (NODE_COMPILE_CACHE
// needs Node 22), so every plugin start parsed and compiled its whole bundle (~3 ms per 100 KB here), then compiled
// each function again when first called. The single executable build avoids that with `useCodeCache`; this does the
// same for the plain bundles:
//
//   dist/<name>            #!/usr/bin/env node
//                          // cni-ts-build ...          (the marker, added afterwards by same-build.mjs)
//                          {...a one-line loader...}
//                          function cniTsBundle(){
//                          /*@cni-ts:bundle
//                          (function (exports, require, module, __filename, __dirname) {...the bundle...
//                          })*/}
//   dist/<name>.v8cache    one cache per verb (ADD, CHECK, DEL, and VERSION for the rest), behind a JSON index
//
// The bundle sits in a comment, which V8 skips without tokenizing it; the loader compiles it with vm.Script and the
// cache for CNI_COMMAND, then runs it exactly as Node runs a CommonJS module. Each cache is trained: the bundle runs
// that verb for real (bridge in throwaway network namespaces, with its IPAM plugin in-process) and the cache keeps
// what the run compiled, so a plugin run deserializes what it needs and little else. (A cache of every function, or
// one for all verbs, costs more in page faults and memory than it saves; so does a cache inside the executable,
// which Node would also read as source text.) Without root, bridge is trained on VERSION only.
//
// The cache is an optimisation only: without the .v8cache file, or when V8 rejects it (another node, NODE_OPTIONS
// with V8 flags: V8 checks its version, flags and the source), the loader compiles the bundle as Node would.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The function wrapper Node's CommonJS loader uses; the loader calls it the same way. */
const wrap = (body) => `(function (exports, require, module, __filename, __dirname) {${body}\n})`;

const bundleMark = '\n/*@cni-ts:bundle\n';
const cacheSuffix = '.v8cache';
const indexBytes = 1024; // the JSON index line at the start of a .v8cache file fits in this

// The loader, on one line. It takes the bundle's text from Node's own copy of the file rather than reading the file
// again: Node has read the whole executable (bundle comment included) to compile this module, and the comment sits
// in the body of a function that is never called, cniTsBundle, whose toString() V8 returns as a slice of that copy.
// Slicing the bundle out of it copies nothing either, and V8 compiles a sliced source in place. (A second
// readFileSync cost ~0.4 MiB of peak RSS: a 200 KB string plus libuv's read buffer.) Should toString() not hold
// the bundle, it reads the file as UTF-8 as before (the bundle is ASCII). It reads only its verb's cache, which it
// uses only if the cache file says it was made for exactly this source (V8 itself compares only its length).
// A dynamic import() in the bundle needs a loader callback in a vm.Script; the bundle has one only behind a
// fallback for Node < 20.16 (no process.getBuiltinModule), so the callback (and the module it loads) is given
// only there.
const loaderFor = (sourceHash) =>
  `{const r=require,fs=r("node:fs"),M=${JSON.stringify(bundleMark)},H=${JSON.stringify(sourceHash)};` +
  'let t=String(cniTsBundle);if(t.indexOf(M)<0)t=fs.readFileSync(__filename,"utf8");' +
  `const src=t.slice(t.indexOf(M)+${bundleMark.length},t.lastIndexOf("*/"));let cd;` +
  `try{const f=fs.openSync(__filename+${JSON.stringify(cacheSuffix)},"r");try{const h=Buffer.alloc(${indexBytes}),` +
  'e=h.subarray(0,fs.readSync(f,h,0,h.length,0)).indexOf(10),x=JSON.parse(h.toString("latin1",0,e)),' +
  'c=x.verbs[process.env.CNI_COMMAND]??x.verbs["*"];' +
  'if(x.v===1&&x.src===H&&c){cd=Buffer.allocUnsafe(c[1]);if(fs.readSync(f,cd,0,c[1],e+1+c[0])!==c[1])cd=void 0}}finally{fs.closeSync(f)}}catch{cd=void 0}' +
  'new(r("node:vm").Script)(src,process.getBuiltinModule?{filename:__filename,cachedData:cd}:{filename:__filename,cachedData:cd,importModuleDynamically:(m)=>import(m)})' +
  '.runInThisContext()(exports,r,module,__filename,__dirname)}';

// The training runner: compiles source.js with this verb's cache so far, runs it as the plugin, and at exit
// writes that cache again (everything deserialized plus everything this run compiled).
const trainer = `'use strict';
const fs = require('node:fs');
const { Script } = require('node:vm');
const source = fs.readFileSync(__dirname + '/source.js', 'utf8');
const file = __dirname + '/cache.' + (process.env.CNI_COMMAND || 'none') + '.bin';
let cachedData;
try { cachedData = fs.readFileSync(file); } catch {}
const script = new Script(source, { filename: __filename, cachedData, importModuleDynamically: (x) => import(x) });
process.on('exit', () => fs.writeFileSync(file, script.createCachedData()));
script.runInThisContext()(exports, require, module, __filename, __dirname);
`;

const checker = `
const { readFileSync } = require('node:fs');
const { Script } = require('node:vm');
const [source, ...caches] = process.argv.slice(1);
const code = readFileSync(source, 'utf8');
process.stdout.write(caches.map((c) => new Script(code, { filename: 'x', cachedData: readFileSync(c) }).cachedDataRejected ? 'rejected' : 'accepted').join(' '));
`;

/** Executables that get a code cache: the plugins (not the cni-ts tool, which runs rarely). */
const trainedPlugins = ['bridge', 'host-local', 'static', 'dnsmasq-ipam'];

/** The plugins bridge runs in-process (scripts/same-build.mjs); training puts marker-only stand-ins on CNI_PATH. */
const embeddedIn = { bridge: ['host-local', 'static', 'dnsmasq-ipam'] };

const cleanEnv = () => ({ PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' }); // no NODE_OPTIONS

function canUseNetns() {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('ip', ['netns', 'list'], { stdio: 'ignore' }).status === 0;
}

/** The runs each plugin is trained with; results are threaded through as prevResult, as a runtime does. */
function scenarios(name, ctx) {
  const version = [{ command: 'VERSION', conf: {} }];
  const chain = (conf, ids) => ids.flatMap((id) => [
    { command: 'ADD', id, conf },
    { command: 'CHECK', id, conf, prev: true },
    { command: 'DEL', id, conf, prev: true },
    { command: 'DEL', id, conf },
  ]);
  if (name === 'bridge') {
    if (!ctx.netns) return version;
    const conf = { cniVersion: '1.0.0', name: 'cni-ts-train', type: 'bridge', bridge: 'cnitrain0', isGateway: true, ipMasq: false,
      ipam: { type: 'host-local', subnet: '10.254.0.0/24', dataDir: join(ctx.work, 'ipam') } };
    return [...version, ...chain(conf, [`${ctx.tag}-c1`, `${ctx.tag}-c2`])];
  }
  if (name === 'host-local') {
    const conf = { cniVersion: '1.0.0', name: 'cni-ts-train', ipam: { type: 'host-local', subnet: '10.254.0.0/24', dataDir: join(ctx.work, 'ipam') } };
    return [...version, ...chain(conf, ['train-c1', 'train-c2'])];
  }
  if (name === 'static') {
    const conf = { cniVersion: '1.0.0', name: 'cni-ts-train', ipam: { type: 'static', addresses: [{ address: '10.254.0.2/24', gateway: '10.254.0.1' }] } };
    return [...version, ...chain(conf, ['train-c1'])];
  }
  return version;
}

/** Runs the training; returns the cache file of each trained verb. */
function train(name, { work, source, bundleDir, id, node }) {
  const bin = join(work, 'bin');
  mkdirSync(bin);
  for (const f of readdirSync(bundleDir).filter((f) => f.endsWith('.node'))) copyFileSync(join(bundleDir, f), join(bin, f));
  writeFileSync(join(bin, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(bin, 'source.js'), source);
  writeFileSync(join(bin, name), trainer);
  for (const other of embeddedIn[name] ?? []) writeFileSync(join(bin, other), `#!/bin/false\n// cni-ts-build ${other} ${id} 0\n`);

  const tag = `cnits-cc-${randomBytes(3).toString('hex')}`;
  let netns = name === 'bridge' && canUseNetns();
  const made = [];
  try {
    try {
      for (const ns of netns ? [`${tag}-host`, `${tag}-c1`, `${tag}-c2`] : []) {
        execFileSync('ip', ['netns', 'add', ns], { stdio: 'ignore' });
        made.push(ns);
      }
    } catch {
      netns = false; // no namespaces here after all (an unprivileged container): train on VERSION only
    }
    const prev = new Map();
    for (const s of scenarios(name, { netns, tag, work })) {
      const env = { ...cleanEnv(), CNI_COMMAND: s.command, CNI_PATH: bin };
      if (s.id) Object.assign(env, { CNI_CONTAINERID: s.id, CNI_NETNS: `/var/run/netns/${s.id}`, CNI_IFNAME: 'eth0' });
      const conf = s.prev && prev.has(s.id) ? { ...s.conf, prevResult: prev.get(s.id) } : s.conf;
      const [cmd, args] = netns ? ['ip', ['netns', 'exec', `${tag}-host`, node, join(bin, name)]] : [node, [join(bin, name)]];
      const r = spawnSync(cmd, args, { env, input: JSON.stringify(conf), encoding: 'utf8', timeout: 30_000 });
      if (s.command === 'ADD' && r.status === 0) prev.set(s.id, JSON.parse(r.stdout));
      if (r.status !== 0) process.stderr.write(`code-cache: training ${name} ${s.command} exited ${r.status}: ${r.stdout}${r.stderr}\n`);
    }
  } finally {
    for (const ns of made) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  }
  const caches = {};
  for (const f of readdirSync(bin)) {
    const m = /^cache\.([A-Z]+)\.bin$/.exec(f);
    if (m) caches[m[1]] = join(bin, f);
  }
  return caches;
}

/** The .v8cache file: a JSON index line ({v, src, verbs: {VERB: [offset, length]}}), then the caches back to back. */
function cacheFile(caches, sourceHash) {
  const verbs = {};
  const parts = [];
  let offset = 0;
  for (const [verb, file] of Object.entries(caches)) {
    const bytes = readFileSync(file);
    verbs[verb === 'VERSION' ? '*' : verb] = [offset, bytes.length];
    parts.push(bytes);
    offset += bytes.length;
  }
  const index = Buffer.from(`${JSON.stringify({ v: 1, src: sourceHash, verbs })}\n`);
  if (index.length > indexBytes) throw new Error('code-cache: the index does not fit');
  return Buffer.concat([index, ...parts]);
}

/**
 * Rewrites the executable `file` (a CommonJS bundle with a shebang, beside its native module) into the loader form
 * and writes `<file>.v8cache`. Returns false, leaving the bundle as it is, when that is not possible (the bundle is
 * not plain ASCII or contains "*\/", or no cache came out). CNI_TS_CODE_CACHE=0 turns it off.
 */
export function addCodeCache(file, { name, id, node = process.execPath }) {
  rmSync(file + cacheSuffix, { force: true });
  if (process.env.CNI_TS_CODE_CACHE === '0' || !trainedPlugins.includes(name)) return false;
  const content = readFileSync(file, 'utf8');
  const eol = content.indexOf('\n');
  if (!content.startsWith('#!') || eol < 0) throw new Error(`${file}: not a script with a shebang`);
  const body = content.slice(eol + 1);
  if (!/^[\x00-\x7f]*$/.test(body) || body.includes('*/')) return false; // it could not sit in a comment
  const source = wrap(body);
  const work = mkdtempSync(join(tmpdir(), 'cni-ts-code-cache-'));
  try {
    let caches;
    try {
      caches = train(name, { work, source, bundleDir: dirname(file), id, node });
    } catch (err) {
      // The cache is an optimisation: a build that cannot train one still succeeds, with the plain bundle.
      process.stderr.write(`code-cache: no cache for ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
      return false;
    }
    const verdicts = execFileSync(node, ['-e', checker, join(work, 'bin', 'source.js'), ...Object.values(caches)], { env: cleanEnv(), encoding: 'utf8' });
    for (const [i, verb] of Object.keys(caches).entries()) if (verdicts.split(' ')[i] !== 'accepted') delete caches[verb];
    if (Object.keys(caches).length === 0) return false;
    const sourceHash = createHash('sha256').update(source).digest('hex').slice(0, 32);
    writeFileSync(file, `${content.slice(0, eol + 1)}${loaderFor(sourceHash)}\nfunction cniTsBundle(){${bundleMark}${source}*/}\n`);
    writeFileSync(file + cacheSuffix, cacheFile(caches, sourceHash));
    return true;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

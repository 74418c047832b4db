// Preloaded into a plugin run (`node -r bench/probe.cjs <plugin>`) by bench/startup.mjs. It records, with the
// wall clock, when Node finished its own start-up (this file runs then) and every kernel request the plugin
// makes through koffi: netlink send(2) (with the message type), flock(2), setns(2). Nothing in the plugin
// changes: the koffi native module is wrapped as it is loaded. At exit it appends one JSON line to the file
// named by CNI_TS_PROBE_OUT. Test-free: it observes a real run, it asserts nothing.
'use strict';
const fs = require('node:fs');

const now = () => performance.timeOrigin + performance.now(); // ms since the epoch, µs resolution
const ready = now();
const events = [];
const netlinkFds = new Set();
const AF_NETLINK = 16;

// nlmsg_type values, for a readable trace (linux/rtnetlink.h)
const RTM = { 16: 'NEWLINK', 17: 'DELLINK', 18: 'GETLINK', 19: 'SETLINK', 20: 'NEWADDR', 21: 'DELADDR', 22: 'GETADDR', 24: 'NEWROUTE', 25: 'DELROUTE', 26: 'GETROUTE', 28: 'NEWNEIGH', 29: 'DELNEIGH', 30: 'GETNEIGH' };

function wrapFunction(name, fn) {
  const wrapped = function (...args) {
    const t = now();
    const ret = fn.apply(this, args);
    if (name === 'socket' && args[0] === AF_NETLINK && ret >= 0) netlinkFds.add(ret);
    else if (name === 'close') netlinkFds.delete(args[0]);
    else if ((name === 'send' || name === 'sendto') && netlinkFds.has(args[0])) {
      const buf = args[1];
      const type = buf && buf.length >= 6 ? buf[4] | (buf[5] << 8) : -1;
      events.push({ t, end: now(), what: `netlink ${RTM[type] ?? type}` });
    } else if (name === 'flock' || name === 'setns') events.push({ t, end: now(), what: name });
    return ret;
  };
  for (const k of Object.keys(fn)) wrapped[k] = fn[k]; // .async, .info
  return wrapped;
}

function wrapLibrary(lib) {
  return new Proxy(lib, {
    get(target, prop) {
      if (prop === 'func') {
        return (...args) => {
          const fn = target.func(...args);
          const decl = typeof args[0] === 'string' ? args[0] : String(args[1] ?? '');
          const name = /(\w+)\s*\(/.exec(decl)?.[1] ?? '';
          return ['socket', 'close', 'send', 'sendto', 'flock', 'setns'].includes(name) ? wrapFunction(name, fn) : fn;
        };
      }
      const v = target[prop];
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  const ret = dlopen.call(this, module, filename, ...rest);
  if (/koffi[^/]*\.node$/.test(String(filename)) && typeof module.exports?.load === 'function') {
    const load = module.exports.load;
    module.exports.load = (...args) => wrapLibrary(load(...args));
  }
  return ret;
};

process.on('exit', (code) => {
  const out = process.env.CNI_TS_PROBE_OUT;
  if (!out) return;
  fs.appendFileSync(out, `${JSON.stringify({ pid: process.pid, code, origin: performance.timeOrigin, ready, exit: now(), events })}\n`);
});

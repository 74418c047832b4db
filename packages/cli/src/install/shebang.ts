// A bundle starts with `#!/usr/bin/env node`, which finds node through PATH. A container runtime runs plugins
// with whatever PATH it has (often none that holds node), so the installed copy names node by absolute path.

/** Checks that `node` can stand in a shebang line: absolute, and nothing the kernel would split or cut. */
export function checkShebangInterpreter(node: string): void {
  if (!node.startsWith('/')) throw new Error(`--node must be an absolute path, got "${node}"`);
  if (/[\s\0]/.test(node)) throw new Error(`--node "${node}" contains whitespace, which a shebang line cannot carry`);
  // Linux reads at most 255 bytes of a shebang line (BINPRM_BUF_SIZE 256, minus the newline).
  if (Buffer.byteLength(node) > 250) throw new Error(`--node "${node}" is too long for a shebang line`);
}

export function hasShebang(content: Uint8Array): boolean {
  return content[0] === 0x23 && content[1] === 0x21; // "#!"
}

/** The same script with its first line replaced by `#!<node>`. */
export function rewriteShebang(content: Buffer, node: string): Buffer {
  checkShebangInterpreter(node);
  if (!hasShebang(content)) throw new Error('not a script: it does not start with "#!"');
  const eol = content.indexOf(0x0a);
  const rest = eol === -1 ? Buffer.alloc(0) : content.subarray(eol);
  return Buffer.concat([Buffer.from(`#!${node}`), rest]);
}

// JSON text exactly as Go's encoding/json writes it, so our stdout is byte-for-byte the reference's.

// Go escapes <, > and & (HTML safety) and U+2028/U+2029; JSON.stringify does not. These characters can only
// appear inside string literals of JSON text, so a textual replacement is safe.
const goEscapes = /[<>&\u2028\u2029]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** json.MarshalIndent(v, "", "    "): 4-space indent, no trailing newline (results and errors). */
export function goJsonIndent(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(goEscapes, escapeChar);
}

/** json.NewEncoder(w).Encode(v): compact, with a trailing newline (VERSION output). */
export function goJsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(goEscapes, escapeChar)}\n`;
}

/** Go's %q for a string (strconv.Quote), close enough for messages: JSON quoting with \xNN for control bytes. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1').replace(/\u007f/g, '\\x7f');
}

/** Go's %q for a []string: ["a" "b"]. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}

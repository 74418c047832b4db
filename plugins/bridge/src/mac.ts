// Container MAC addresses as the reference accepts them (Go's net.ParseMAC, 48-bit forms only: a veth is
// Ethernet): 00:00:5e:00:53:01, 00-00-5e-00-53-01 or 0000.5e00.5301. We keep the lowercase colon form.
const COLONS = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i;
const DOTS = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i;

/** The normalized MAC, or undefined when `text` is not a 48-bit MAC address. */
export function parseMac(text: string): string | undefined {
  const colons = COLONS.exec(text);
  // The separator must be the same throughout, as in Go.
  if (colons && new Set(text.replace(/[0-9a-f]/gi, '')).size === 1) return colons.slice(1).join(':').toLowerCase();
  const dots = DOTS.exec(text);
  if (dots) return (dots.slice(1).join('').match(/../g) ?? []).join(':').toLowerCase();
  return undefined;
}

export const invalidMacMessage = (text: string): string => `invalid MAC address ${JSON.stringify(text)}`;

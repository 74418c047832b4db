// resolv.conf → result DNS, with the reference host-local's reading of the file: one `nameserver` address per line,
// the last `domain` wins, every word of every `search` and `options` line is kept in order. Lines starting with '#'
// or ';' and lines with fewer than two words are skipped. Pure: the caller reads the file.
import type { Dns } from '@cni-ts/skel';

export function parseResolvConf(text: string): Dns {
  const dns: Dns = {};
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const [keyword, ...words] = line.split(/\s+/);
    if (words.length === 0) continue;
    switch (keyword) {
      case 'nameserver':
        (dns.nameservers ??= []).push(words[0] as string);
        break;
      case 'domain':
        dns.domain = words[0] as string;
        break;
      case 'search':
        (dns.search ??= []).push(...words);
        break;
      case 'options':
        (dns.options ??= []).push(...words);
        break;
      default:
        break; // sortlist and unknown keywords mean nothing for a container's result
    }
  }
  return dns;
}

/**
 * Domains as the instance blocks them: lower case, without scheme, path or
 * user, with a port only when it is not the scheme's own (two servers on one
 * host are told apart by their ports). Blocking a domain blocks its
 * subdomains too.
 */

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * A domain as typed (`social.example`, `https://Social.Example/about`,
 * `social.example:8443`), normalised; null when it is none.
 */
export function normaliseDomain(input: string): string | null {
  const text = input.trim().toLowerCase().replace(/\.$/, "");
  if (!text || /\s/.test(text)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `https://${text}`;
  if (!URL.canParse(withScheme)) return null;
  const url = new URL(withScheme);
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password) return null;
  const hostname = url.hostname.replace(/\.$/, "");
  if (!hostname.startsWith("[") && !IPV4.test(hostname)) {
    const labels = hostname.split(".");
    if (labels.length < 1 || !labels.every((label) => LABEL.test(label))) return null;
  }
  return url.port ? `${hostname}:${url.port}` : hostname;
}

/** The domains whose block would cover this host (`URL.host`): itself and each parent, with and without its port. */
export function coveringDomains(host: string): string[] {
  const found = host.toLowerCase().match(/^(\[[^\]]*\]|[^:]+)(?::(\d+))?$/);
  if (!found) return [host.toLowerCase()];
  const hostname = found[1]!.replace(/\.$/, "");
  const port = found[2];
  const names = hostname.startsWith("[") || IPV4.test(hostname) ? [hostname] : parents(hostname);
  return names.flatMap((name) => (port ? [`${name}:${port}`, name] : [name]));
}

function parents(hostname: string): string[] {
  const labels = hostname.split(".");
  return labels.map((_, i) => labels.slice(i).join("."));
}

/** The host of an address (`URL.host`), or null when it is not one. */
export function hostOf(address: string): string | null {
  return URL.canParse(address) ? new URL(address).host.toLowerCase() : null;
}

/** Whether an address lives on this blocked domain or under it. */
export function isOnDomain(address: string, domain: string): boolean {
  const host = hostOf(address);
  return host !== null && coveringDomains(host).includes(domain);
}

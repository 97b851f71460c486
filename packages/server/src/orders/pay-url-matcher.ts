const OFFICIAL_DOMAINS = ['scanforpay.com', 'scan4pay.com'];

/** The longest `payUrl` handed out. */
export const MAX_PAY_URL_LENGTH = 2048;
/**
 * Visible ASCII only (no whitespace or control characters: a CR/LF would break a redirect), no
 * backslash, `http(s)://` and an authority without userinfo.
 */
const CLEAN_URL = /^https?:\/\/[^/?#@\\]+(?:[/?#][^\\]*)?$/i;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Whether a gateway's `payUrl` may be handed to a shopper: a clean absolute https URL (http only
 * when the gateway itself is, i.e. the sandbox) on the gateway's host or an allowed one, with no
 * userinfo, checked on the raw text (the URL parser would quietly drop tabs and newlines).
 */
export function payUrlMatcher(
  gatewayUrl: string,
  hosts: readonly string[] | undefined,
): (url: string) => boolean {
  const gateway = new URL(gatewayUrl);
  const exact = new Set((hosts ?? [gateway.host]).map((h) => h.toLowerCase()));
  const official = OFFICIAL_DOMAINS.some(
    (d) => gateway.hostname === d || gateway.hostname.endsWith(`.${d}`),
  );
  const domains = hosts === undefined && official ? OFFICIAL_DOMAINS : [];
  return (raw) => {
    if (raw.length > MAX_PAY_URL_LENGTH || !VISIBLE_ASCII.test(raw) || !CLEAN_URL.test(raw)) {
      return false;
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    // Plain http only when the gateway itself is (the sandbox on a developer's machine).
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && gateway.protocol === 'http:')) {
      return false;
    }
    if (exact.has(url.host) || exact.has(url.hostname)) return true;
    return domains.some((d) => url.hostname === d || url.hostname.endsWith(`.${d}`));
  };
}

/**
 * The CSP sources of every page a `payUrl` may open (`payUrlMatcher`'s hosts), e.g. for a
 * page's `form-action`: a form posted to `/checkout` is redirected there, and Chromium holds
 * the redirect to the form's `form-action` too.
 */
export function payUrlSources(gatewayUrl: string, hosts: readonly string[] | undefined): string[] {
  const gateway = new URL(gatewayUrl);
  const schemes = gateway.protocol === 'http:' ? ['https:', 'http:'] : ['https:'];
  const names = hosts ?? [gateway.host];
  const official = OFFICIAL_DOMAINS.some(
    (d) => gateway.hostname === d || gateway.hostname.endsWith(`.${d}`),
  );
  const domains =
    hosts === undefined && official ? OFFICIAL_DOMAINS.flatMap((d) => [d, `*.${d}`]) : [];
  const sources = [...new Set([...names.map((h) => h.toLowerCase()), ...domains])];
  return schemes.flatMap((scheme) => sources.map((host) => `${scheme}//${host}`));
}

let scriptOrigin: string | undefined;

/**
 * Called by the script-tag bundle with the origin it was served from. A `data-endpoint` on the
 * bundle's `<script>` tag wins, so a copy of the script on a CDN still talks to the proxy: `<script src="https://cdn.example/…" data-endpoint="https://pay.shop.example">`.
 * A module script has no `document.currentScript`: then the first `script[data-endpoint]`.
 */
export function setDefaultEndpoint(origin: string): void {
  const script = (document.currentScript ??
    document.querySelector('script[data-endpoint]')) as HTMLScriptElement | null;
  scriptOrigin = script?.dataset.endpoint?.replace(/\/+$/, '') || origin;
}

/** The proxy an element talks to when it has no `endpoint`: the bundle's origin, else the page's. */
export function defaultEndpoint(): string {
  return scriptOrigin ?? location.origin;
}

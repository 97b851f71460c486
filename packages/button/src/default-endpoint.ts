let scriptOrigin: string | undefined;

/** Called by the script-tag bundle with the origin it was served from. */
export function setDefaultEndpoint(origin: string): void {
  scriptOrigin = origin;
}

/** The proxy an element talks to when it has no `endpoint`: the bundle's origin, else the page's. */
export function defaultEndpoint(): string {
  return scriptOrigin ?? location.origin;
}

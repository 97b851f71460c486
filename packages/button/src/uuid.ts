/**
 * A random UUID v4. Built on `getRandomValues` because `crypto.randomUUID` exists only in secure
 * contexts, and a shop page may still be served over plain http.
 */
export function uuid(): string {
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+c / 4)))).toString(16),
  );
}

/**
 * The `lang` that applies to an element: its own, else the nearest ancestor's, climbing out of
 * shadow roots through their hosts. Empty when none is set.
 */
export function resolveLang(element: HTMLElement): string {
  // The property first: a Lit element renders before it reflects `lang` to the attribute.
  if (element.lang) return element.lang;
  for (let node: Element | undefined = element; node;) {
    const found = node.closest('[lang]');
    if (found) return found.getAttribute('lang')!;
    // A document has no host: that ends the climb.
    node = (node.getRootNode() as ShadowRoot).host;
  }
  return '';
}

import { fixture, oneEvent } from '@open-wc/testing';
import type { TemplateResult } from 'lit';

/** One request the fake proxy (test/fake-proxy.mjs) received. */
export interface Logged {
  method: string;
  path: string;
  query?: string;
  alt: boolean;
  host?: string;
  origin?: string;
  body?: Record<string, unknown>;
  contentType?: string;
  idempotencyKey?: string;
  form?: Record<string, string>;
}

let counter = 0;

/** A fresh tag: ids ending in `~tag` get their own request log in the fake proxy. */
export function newTag(): string {
  counter += 1;
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${counter}`;
}

/** Everything the fake proxy logged for `tag`. */
export async function requests(tag: string): Promise<Logged[]> {
  const response = await fetch(`/__log/${tag}`);
  return (await response.json()) as Logged[];
}

/** Lets the fake proxy answer the `held-` requests of `tag` (those waiting and those to come). */
export async function release(tag: string): Promise<void> {
  await fetch(`/__release/${tag}`, { method: 'POST' });
}

export async function orderPosts(tag: string): Promise<Logged[]> {
  return (await requests(tag)).filter((r) => r.method === 'POST' && r.path.endsWith('/orders'));
}

/** The first element of the shadow root matching `[part~=name]`. */
export function part<T extends HTMLElement = HTMLElement>(host: Element, name: string): T | null {
  return host.shadowRoot!.querySelector<T>(`[part~='${name}']`);
}

/** Renders a template and resolves once `event` (default `scanforpay-ready`) reached the document. */
export async function renderUntil<T extends Element>(
  template: TemplateResult,
  event = 'scanforpay-ready',
): Promise<{ el: T; event: CustomEvent }> {
  const seen = oneEvent(document, event) as Promise<CustomEvent>;
  const el = await fixture<T>(template);
  return { el, event: await seen };
}

/** Four unsigned 32-bit numbers joined by dashes: 128 random bits. */
export const IDEMPOTENCY_KEY = /^\d{1,10}-\d{1,10}-\d{1,10}-\d{1,10}$/;

/** Visible text with whitespace collapsed. */
export function text(node: Element | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Records `console.warn` lines until `stop()`; the elements write their diagnostics there. */
export function captureWarnings(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void lines.push(args.join(' '));
  return { lines, stop: () => (console.warn = original) };
}

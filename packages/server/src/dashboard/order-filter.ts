import { ORDER_STATUSES, type OrderStatus } from '../domain/order.js';
import type { OrderFilter } from '../store/order-store.js';
import { parseDay } from './format.js';

const DAY_MS = 86_400_000;
const MAX_TEXT = 64;

/** The list's filter as typed in the form (kept for the form and the links) and as a query. */
export interface ParsedFilter {
  filter: OrderFilter;
  form: { status: string; q: string; from: string; to: string };
  page: number;
  /** A date that is not YYYY-MM-DD was ignored. */
  badDate: boolean;
}

/** Reads `status`, `q`, `from`, `to` (UTC days, `to` inclusive) and `page` from a query. */
export function parseFilter(query: (name: string) => string | undefined): ParsedFilter {
  const status = query('status') ?? '';
  const q = (query('q') ?? '').trim().slice(0, MAX_TEXT);
  const from = (query('from') ?? '').trim();
  const to = (query('to') ?? '').trim();
  const filter: OrderFilter = {};
  if ((ORDER_STATUSES as readonly string[]).includes(status)) {
    filter.status = status as OrderStatus;
  }
  if (q !== '') filter.text = q;
  let badDate = false;
  if (from !== '') {
    const at = parseDay(from);
    if (at === undefined) badDate = true;
    else filter.from = at;
  }
  if (to !== '') {
    const at = parseDay(to);
    if (at === undefined) badDate = true;
    else filter.to = at + DAY_MS;
  }
  const rawPage = Number(query('page') ?? '1');
  const page = Number.isSafeInteger(rawPage) && rawPage >= 1 ? rawPage : 1;
  return {
    filter,
    form: { status: filter.status ?? '', q, from: badDate ? from : from, to },
    page,
    badDate,
  };
}

/** The query string of a filter (empty fields left out), with `extra` on top. */
export function filterQuery(
  form: ParsedFilter['form'],
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...form, ...extra })) {
    if (value !== '') params.set(name, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

import type * as v from 'valibot';
import type { ProblemCode } from '../problem.js';

/** A valibot schema of the contract. */
export type AnySchema = v.GenericSchema;

/** One answer of an operation. */
export interface Answer {
  description: string;
  /** The media type (or types); none for an empty answer (a redirect, a 304). */
  type?: string | readonly string[];
  /** The JSON body's schema (a JSON answer); others are described by `type` alone. */
  schema?: AnySchema;
  /** Response headers worth knowing, by name. */
  headers?: Record<string, string>;
}

/** One route of the proxy, as the OpenAPI document describes it. */
export interface Operation {
  method: 'get' | 'post';
  /** The route as Hono has it (`/items/:id`); the document writes `/items/{id}`. */
  path: string;
  operationId: string;
  tag: OperationTag;
  summary: string;
  description?: string;
  /** Path parameters, by name. */
  params?: Record<string, AnySchema>;
  /** Query parameters: the entries of an object schema (optional entries are optional). */
  query?: v.ObjectSchema<v.ObjectEntries, undefined>;
  /** Request headers, by name. */
  headers?: Record<string, AnySchema>;
  body?: { type: string; schema?: AnySchema; required: boolean; description?: string };
  /** Success and other planned answers, by status (or a range: `4XX`). */
  answers: Partial<Record<number | `${1 | 2 | 3 | 4 | 5}XX`, Answer>>;
  /** The problems it can answer (`application/problem+json`, or a page where `html` says). */
  problems?: ProblemCode[];
  /** The admin API's bearer token, or the dashboard's session cookie. */
  auth?: 'bearer' | 'session';
}

/** The groups of the reference, in its order. */
export const OPERATION_TAGS = {
  Shop: 'What `<scanforpay-button>` and `<scanforpay-result>` call from the shop.',
  Pages: 'Pages and images the proxy serves to shoppers.',
  Gateway: "ScanForPay's calls and the shopper's way back from its cashier.",
  Button: "The button's script-tag bundle, served first-party.",
  Admin: "For the merchant's tools, behind `Authorization: Bearer <ADMIN_TOKEN>`; 404 without it.",
  Dashboard: "The merchant's pages at /admin/ui (HTML forms, a session cookie and CSRF tokens).",
  Operations: 'Health and this contract.',
} as const;

export type OperationTag = keyof typeof OPERATION_TAGS;

/** Hono's `/items/:id` as OpenAPI's `/items/{id}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

import * as v from 'valibot';
import { toJsonSchemaDefs, type ConversionConfig } from '@valibot/to-json-schema';
import { PROBLEM_CODES, PROBLEM_CONTENT_TYPE } from '../problem.js';
import { ADMIN_OPERATIONS, DASHBOARD_OPERATIONS } from './admin-operations.js';
import * as admin from './admin-shapes.js';
import {
  OPERATION_TAGS,
  openApiPath,
  type Answer,
  type AnySchema,
  type Operation,
} from './operation.js';
import { PAGE_OPERATIONS } from './page-operations.js';
import * as shapes from './shapes.js';
import { NotificationSchema, SHOP_OPERATIONS } from './shop-operations.js';

/** The contract's own revision: bumped when a route, a field or an answer changes. */
export const CONTRACT_VERSION = '1.0.0';

/** Every route of the proxy, in the reference's order. */
export const OPERATIONS: readonly Operation[] = [
  ...SHOP_OPERATIONS,
  ...PAGE_OPERATIONS,
  ...ADMIN_OPERATIONS,
  ...DASHBOARD_OPERATIONS,
];

/** The named schemas: `#/components/schemas/<name>`, referenced wherever they appear. */
const COMPONENTS: Record<string, AnySchema> = {
  Wallet: shapes.WalletSchema,
  OrderStatus: shapes.OrderStatusSchema,
  OrderId: shapes.OrderIdSchema,
  Item: shapes.ItemSchema,
  ItemOffer: shapes.ItemOfferSchema,
  OrderRequest: shapes.OrderRequestSchema,
  CreatedOrder: shapes.CreatedOrderSchema,
  Order: shapes.OrderSchema,
  OrderView: shapes.OrderViewSchema,
  Health: shapes.HealthSchema,
  ButtonManifest: shapes.ButtonManifestSchema,
  Problem: shapes.ProblemSchema,
  Notification: NotificationSchema,
  AdminOrder: admin.AdminOrderSchema,
  Refund: admin.RefundSchema,
  AdminEvent: admin.AdminEventSchema,
  AdminNotification: admin.AdminNotificationSchema,
  AdminOrderPage: admin.AdminOrderPageSchema,
  AdminOrderDetail: admin.AdminOrderDetailSchema,
  AdminWebhookState: admin.AdminWebhookStateSchema,
  RefundRequest: admin.RefundRequestSchema,
  RefundResult: admin.RefundResultSchema,
  RefundPending: admin.RefundPendingSchema,
};
const NAMES = new Map(Object.entries(COMPONENTS).map(([name, schema]) => [schema, name]));

type Json = Record<string, unknown>;

const CONFIG: ConversionConfig = {
  target: 'draft-2020-12',
  // Requests are described as sent (a query value is text before it is read).
  typeMode: 'input',
  overrideRef: (context) => `#/components/schemas/${context.referenceId}`,
};

type Convert = (schema: AnySchema) => Json;
const INLINE = '#/inline/';

/**
 * Converts every schema of the document in one pass (`toJsonSchemaDefs`, the named schemas and
 * the operations' own side by side): a named schema anywhere becomes its `$ref`, an operation's
 * schema is written in place.
 */
function converter(schemas: Iterable<AnySchema>): { convert: Convert; components: Json } {
  const inline = new Map<AnySchema, string>();
  for (const schema of schemas) {
    if (!NAMES.has(schema) && !inline.has(schema)) inline.set(schema, `~${inline.size}`);
  }
  const defs = toJsonSchemaDefs(
    { ...COMPONENTS, ...Object.fromEntries([...inline].map(([schema, key]) => [key, schema])) },
    {
      ...CONFIG,
      overrideRef: ({ referenceId }) =>
        referenceId.startsWith('~') ? INLINE + referenceId : `#/components/schemas/${referenceId}`,
    },
  ) as Record<string, Json>;
  // An operation's schema inside another is written out, not referenced.
  const expand = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(expand);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as Json).$ref;
    if (typeof ref === 'string' && ref.startsWith(INLINE))
      return expand(defs[ref.slice(INLINE.length)]);
    return Object.fromEntries(Object.entries(value).map(([k, inner]) => [k, expand(inner)]));
  };
  const convert: Convert = (schema) => {
    const name = NAMES.get(schema);
    if (name) return { $ref: `#/components/schemas/${name}` };
    return expand(defs[inline.get(schema)!]) as Json;
  };
  const components = Object.fromEntries(Object.keys(COMPONENTS).map((k) => [k, expand(defs[k])]));
  return { convert, components };
}

function parameter(
  convert: Convert,
  location: 'path' | 'query' | 'header',
  key: string,
  schema: AnySchema,
): Json {
  const optional = schema.type === 'optional';
  const inner = optional ? (schema as v.OptionalSchema<AnySchema, undefined>).wrapped : schema;
  const json = convert(inner);
  const { description, ...rest } = json;
  return {
    name: key,
    in: location,
    required: location === 'path' || !optional,
    ...(typeof description === 'string' ? { description } : {}),
    schema: description === undefined ? json : rest,
  };
}

function responses(convert: Convert, op: Operation): Json {
  const out: Record<string, Json> = {};
  for (const [status, answer] of Object.entries(op.answers) as [string, Answer][]) {
    const entry: Json = { description: answer.description };
    const media = answer.schema ? { schema: convert(answer.schema) } : {};
    const types = typeof answer.type === 'string' ? [answer.type] : (answer.type ?? []);
    if (types.length) entry.content = Object.fromEntries(types.map((type) => [type, media]));
    if (answer.headers) {
      entry.headers = Object.fromEntries(
        Object.entries(answer.headers).map(([name, about]) => [
          name,
          { description: about, schema: { type: 'string' } },
        ]),
      );
    }
    out[status] = entry;
  }
  const byStatus = new Map<number, string[]>();
  for (const code of op.problems ?? []) {
    const { status } = PROBLEM_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    // The no-script form answers its problems as a page for the shopper.
    const type = op.operationId === 'checkout' ? 'text/html' : PROBLEM_CONTENT_TYPE;
    const content = type === 'text/html' ? {} : { schema: convert(shapes.ProblemSchema) };
    const entry = (out[status] ??= { description: `\`code\`: ${codes.join(', ')}.` });
    entry.content = { ...(entry.content as Json | undefined), [type]: content };
  }
  return out;
}

function operation(convert: Convert, op: Operation): Json {
  const parameters = [
    ...Object.entries(op.params ?? {}).map(([key, schema]) =>
      parameter(convert, 'path', key, schema),
    ),
    ...Object.entries(op.query?.entries ?? {}).map(([key, schema]) =>
      parameter(convert, 'query', key, schema as AnySchema),
    ),
    ...Object.entries(op.headers ?? {}).map(([key, schema]) =>
      parameter(convert, 'header', key, v.optional(schema)),
    ),
  ];
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.body.required,
            ...(op.body.description ? { description: op.body.description } : {}),
            content: {
              [op.body.type]: op.body.schema ? { schema: convert(op.body.schema) } : {},
            },
          },
        }
      : {}),
    responses: responses(convert, op),
    ...(op.auth === 'bearer' ? { security: [{ adminToken: [] }] } : {}),
    ...(op.auth === 'session' ? { security: [{ dashboardSession: [] }] } : {}),
  };
}

/**
 * The proxy's OpenAPI 3.1 document, generated from the valibot schemas its routes validate
 * with. `basePath` is where the proxy is mounted (the path of `publicUrl`): the only server,
 * relative to the origin the document is read from, so no host is written into it.
 */
export function openApiDocument(basePath = ''): Json {
  // First the schemas the operations name, then all of them converted at once.
  const used = new Set<AnySchema>();
  for (const op of OPERATIONS) operation((schema) => (used.add(schema), {}), op);
  const { convert, components } = converter(used);
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    const path = openApiPath(op.path);
    (paths[path] ??= {})[op.method] = operation(convert, op);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'ScanForPay proxy',
      version: CONTRACT_VERSION,
      summary: 'Take Alipay, AlipayHK and WeChat Pay through ScanForPay.',
      description:
        'The signing proxy behind `<scanforpay-button>`. Amounts are integers in minor units. ' +
        'Every error is `application/problem+json` (RFC 9457) with a stable `code`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: basePath.replace(/\/+$/, '') || '/', description: 'This proxy' }],
    tags: Object.entries(OPERATION_TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        dashboardSession: { type: 'apiKey', in: 'cookie', name: 'sfp_admin' },
      },
    },
  };
}

/* global module */
// @ts-check
// The import rules of the workspace, run by `pnpm lint` (`depcruise packages/*/src`).
// The server is layered, each layer importing only those below it (ARCHITECTURE.md):
//   domain → store → use-cases (orders/, events/) → routes (+ middleware) → runtime adapters.
// Type-only imports count (`tsPreCompilationDeps`): a cycle through a type is still a cycle.

const S = '^packages/server/src/';
const PROTOCOL = ['^@scanforpay/protocol', '(^|/)packages/protocol/'];
/** A package from node_modules (or, unresolved, by its bare name). */
const pkg = (name) => `(^|/node_modules/)${name}(/|$)`;
/** Shared leaves any layer above the domain may use: they import nothing of the layers. */
const LEAVES = [
  `${S}logging/`,
  `${S}encoding/`,
  `${S}limits/`,
  `${S}problem\\.ts$`,
  `${S}fault-hook\\.ts$`,
  `${S}config/(defaults|checks)\\.ts$`,
  `${S}telemetry/`,
];
/** The store's interface: one file per aggregate at the top of store/, composed in order-store.ts. */
const STORE_INTERFACE = `${S}store/[^/]+\\.ts$`;
/** The runtime adapters: they wire everything and nothing below imports them. */
const ADAPTERS = [
  `${S}(create-proxy|proxy-runtime|proxy-options|proxy-telemetry|node|workers|cli|index|store|webhook)\\.ts$`,
  `${S}node/`,
  `${S}config/(?!(defaults|checks)\\.ts$)`,
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle in any package, type-only imports included.',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'protocol-stands-alone',
      severity: 'error',
      comment: 'The protocol is the bottom of the workspace: it imports no other package of it.',
      from: { path: '^packages/protocol/src/' },
      to: { path: '^(@scanforpay/|packages/(server|button|sandbox)/)' },
    },
    {
      name: 'domain-imports-only-protocol',
      severity: 'error',
      comment: 'server domain/: the order, its rules and its events; it imports only the protocol.',
      from: { path: `${S}domain/` },
      to: { pathNot: [`${S}domain/`, ...PROTOCOL] },
    },
    {
      name: 'store-imports-only-domain',
      severity: 'error',
      comment: 'server store/: the domain, its own files and its drivers (SQLite, Postgres, D1).',
      from: { path: `${S}store/` },
      to: {
        pathNot: [
          `${S}store/`,
          `${S}domain/`,
          ...PROTOCOL,
          pkg('(better-sqlite3|postgres|@types/better-sqlite3)'),
        ],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'use-cases-import-domain-and-store-interface',
      severity: 'error',
      comment:
        'server orders/: the domain, the store interface (not an engine), the gateway client ' +
        '(protocol), the shared leaves, and the catalog and checkout tokens for pricing (plus ' +
        "qrcode's pure encoder and SVG renderer for the pay QR).",
      from: { path: `${S}orders/` },
      to: {
        pathNot: [
          `${S}orders/`,
          `${S}domain/`,
          STORE_INTERFACE,
          `${S}catalog/`,
          `${S}checkout-token/`,
          ...LEAVES,
          ...PROTOCOL,
          pkg('valibot'),
          pkg('qrcode'),
        ],
      },
    },
    {
      name: 'outbox-imports-domain-and-store-interface',
      severity: 'error',
      comment: 'server events/ (the outbox worker, webhook delivery): as a use-case.',
      from: { path: `${S}events/` },
      to: {
        pathNot: [
          `${S}events/`,
          `${S}domain/`,
          STORE_INTERFACE,
          ...LEAVES,
          ...PROTOCOL,
          pkg('standardwebhooks'),
        ],
      },
    },
    {
      name: 'routes-import-use-cases',
      severity: 'error',
      comment:
        'server routes/: use-cases, the domain, middleware and problems (plus the shared leaves, ' +
        'the store interface for their narrow deps, the catalog ids, the refusal budget and the ' +
        'API contract they validate with).',
      from: { path: `${S}routes/` },
      to: {
        pathNot: [
          `${S}routes/`,
          `${S}orders/`,
          `${S}domain/`,
          `${S}middleware/`,
          `${S}notify/`,
          `${S}catalog/`,
          `${S}contract/`,
          STORE_INTERFACE,
          ...LEAVES,
          ...PROTOCOL,
          pkg('hono'),
        ],
      },
    },
    {
      name: 'contract-describes-the-routes',
      severity: 'error',
      comment:
        'server contract/: the API as valibot schemas and the OpenAPI document built from them; ' +
        'the domain, the request schemas of the use-cases, the catalog ids, problems and the ' +
        'protocol. No Hono: routes import it, never the other way.',
      from: { path: `${S}contract/` },
      to: {
        pathNot: [
          `${S}contract/`,
          `${S}domain/`,
          `${S}orders/(parse-order-request|refund-order)\\.ts$`,
          `${S}catalog/`,
          ...LEAVES,
          ...PROTOCOL,
          pkg('valibot'),
          pkg('@valibot/to-json-schema'),
        ],
      },
    },
    {
      name: 'routes-do-not-import-each-other',
      severity: 'error',
      comment: 'A route is mounted by createProxy, never by another route.',
      from: { path: `${S}routes/([^/]+)\\.ts$` },
      to: { path: `${S}routes/`, pathNot: `${S}routes/$1\\.ts$` },
    },
    {
      name: 'dashboard-is-a-route',
      severity: 'error',
      comment:
        'server dashboard/: the merchant pages sit beside routes/: use-cases (orders/, events/), ' +
        'the domain, middleware, the store interface and the shared leaves; never a route.',
      from: { path: `${S}dashboard/` },
      to: {
        pathNot: [
          `${S}dashboard/`,
          `${S}orders/`,
          `${S}events/`,
          `${S}domain/`,
          `${S}middleware/`,
          STORE_INTERFACE,
          ...LEAVES,
          ...PROTOCOL,
          pkg('hono'),
        ],
      },
    },
    {
      name: 'pay-page-is-a-route',
      comment:
        'server pay-page/: the hosted pay page and its payment links sit beside routes/: the ' +
        'catalog, the domain, middleware, the shared leaves, hono and qrcode; never a route.',
      severity: 'error',
      from: { path: `${S}pay-page/` },
      to: {
        pathNot: [
          `${S}pay-page/`,
          `${S}orders/price-order\\.ts$`,
          `${S}catalog/`,
          `${S}domain/`,
          `${S}middleware/`,
          STORE_INTERFACE,
          ...LEAVES,
          ...PROTOCOL,
          pkg('hono'),
          pkg('qrcode'),
        ],
      },
    },
    {
      name: 'telemetry-is-a-leaf',
      severity: 'error',
      comment:
        'server telemetry/: the metrics and the gateway spans over the OpenTelemetry API (and the ' +
        "protocol's error types); no layer, no SDK: the entries choose the exporters.",
      from: { path: `${S}telemetry/` },
      to: { pathNot: [`${S}telemetry/`, ...PROTOCOL, pkg('@opentelemetry/api')] },
    },
    {
      name: 'middleware-imports-leaves',
      severity: 'error',
      comment: 'server middleware/: Hono middleware over the shared leaves only.',
      from: { path: `${S}middleware/` },
      to: {
        pathNot: [
          `${S}middleware/`,
          ...LEAVES,
          ...PROTOCOL,
          pkg('hono'),
          pkg('@opentelemetry/api'),
        ],
      },
    },
    {
      name: 'nothing-below-imports-the-runtime',
      severity: 'error',
      comment:
        'The runtime adapters (create-proxy, proxy-runtime, proxy-options, node/, workers, cli, ' +
        'config parsing, the entries) sit on top: nothing below them imports them.',
      from: { path: S, pathNot: ADAPTERS },
      to: { path: ADAPTERS },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    doNotFollow: { path: ['node_modules', '^packages/[^/]+/dist/'] },
    exclude: { path: ['^packages/[^/]+/(dist|test)/', '\\.test\\.ts$'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};

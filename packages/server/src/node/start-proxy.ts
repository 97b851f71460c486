import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULTS } from '../config/defaults.js';
import { createProxy } from '../create-proxy.js';
import { SECURITY_HEADERS } from '../middleware/security-headers.js';
import type { ProxyOptions } from '../proxy-options.js';
import type { OrderStore } from '../store/order-store.js';
import { createPostgresStore } from '../store/postgres/create-postgres-store.js';
import { createSqliteStore } from '../store/sqlite/create-sqlite-store.js';
import { batchedLog } from './batched-log.js';
import { bundledButtonVersion, buttonScriptLoader } from './button-script.js';
import { nodeCompress } from './compress-script.js';
import { limitConnectionsPerAddress } from './limit-connections.js';
import { startNodeTelemetry, type TelemetrySettings } from './node-telemetry.js';

export interface StartProxyOptions
  extends Omit<ProxyOptions, 'store' | 'publicUrl'>, TelemetrySettings {
  /** Default: a SQLite store at `databasePath`. */
  store?: OrderStore;
  /** SQLite file used when no `store` or `postgresUrl` is given. Default `./scanforpay.db`. */
  databasePath?: string;
  /** `postgres://…`: use a Postgres store (several proxy processes may share it). */
  postgresUrl?: string;
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  /**
   * How long a SQLite call waits, asynchronously, for a lock another connection holds before
   * answering 503 `store_unavailable`, in ms. Default 2000.
   */
  sqliteBusyTimeoutMs?: number;
  /** Default `http://localhost:<port>` (the actual port when `port` is 0). */
  publicUrl?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /**
   * How often merchant events are delivered and pending orders reconciled (`runBackground`),
   * in ms. Default 1000; 0 turns the timer off (run it yourself, e.g. from one process only).
   */
  backgroundIntervalMs?: number;
  /**
   * Time a client has to send a request's headers, in ms; a new connection that sends nothing
   * is closed after it too. Default 10000.
   */
  headersTimeoutMs?: number;
  /** Time a client has to send a whole request, body included, in ms. Default 30000. */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection stays open after a response, in ms. Default 5000. */
  keepAliveTimeoutMs?: number;
  /**
   * Open connections the server accepts; more are closed at once. Default 800, which leaves
   * descriptors for the store, the gateway and webhooks under the common limit of 1024.
   */
  maxConnections?: number;
  /**
   * Open connections one client address may hold; more are closed at once. 0 = no cap.
   * Default 64, or 0 when `trustProxy` is set (every connection then comes from the proxy).
   */
  maxConnectionsPerAddress?: number;
}

/** Node's defaults keep idle sockets 60–90 s and slow bodies about 5 min; these are the proxy's. */
const CONNECTION_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 800,
  maxConnectionsPerAddress: 64,
} as const;

export interface RunningProxy {
  /** `http://<host>:<port>` as bound. */
  url: string;
  port: number;
  /** `http://127.0.0.1:<port>/metrics` when `metricsPort` is set. */
  metricsUrl?: string;
  /** Stops listening, then frees the transport and the store it created. */
  close(): Promise<void>;
}

/**
 * Starts the proxy on Node: @hono/node-server, keep-alive `node:http` transport,
 * `node:crypto` SHA-256, SQLite or Postgres, the button bundle from `@scanforpay/button`,
 * and a timer for the background work (merchant events, reconciliation).
 */
export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const {
    store: givenStore,
    databasePath,
    postgresUrl,
    sqliteSynchronous,
    sqliteBusyTimeoutMs,
    backgroundIntervalMs = 1000,
    headersTimeoutMs = CONNECTION_DEFAULTS.headersTimeoutMs,
    requestTimeoutMs = CONNECTION_DEFAULTS.requestTimeoutMs,
    keepAliveTimeoutMs = CONNECTION_DEFAULTS.keepAliveTimeoutMs,
    maxConnections = CONNECTION_DEFAULTS.maxConnections,
    maxConnectionsPerAddress = options.trustProxy
      ? 0
      : CONNECTION_DEFAULTS.maxConnectionsPerAddress,
    port = DEFAULTS.port,
    host = DEFAULTS.host,
    metricsToken,
    metricsPort,
    tracesUrl,
    serviceName,
    ...rest
  } = options;
  const transport = options.transport ? undefined : createNodeTransport();
  const store =
    givenStore ??
    (postgresUrl
      ? await createPostgresStore({ url: postgresUrl })
      : createSqliteStore({
          path: databasePath ?? DEFAULTS.databasePath,
          checkpoint: 'background',
          ...(sqliteSynchronous ? { synchronous: sqliteSynchronous } : {}),
          ...(sqliteBusyTimeoutMs !== undefined ? { busyTimeoutMs: sqliteBusyTimeoutMs } : {}),
        }));

  // The app is built once the port is known (port 0), so its default publicUrl is right.
  const late: { fetch?: (request: Request, env: unknown) => Response | Promise<Response> } = {};
  const securityHeaders = Object.entries(SECURITY_HEADERS);
  const server = serve({
    fetch: (request, env) => {
      // The security headers go on the native response first: the app's own (a route's CSP)
      // are written over them by writeHead, as the core's middleware would keep them.
      const { outgoing } = env as HttpBindings;
      for (const [name, value] of securityHeaders) outgoing.setHeader(name, value);
      return late.fetch ? late.fetch(request, env) : new Response(null, { status: 503 });
    },
    port,
    hostname: host,
    serverOptions: {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks the two timeouts above every 30 s by default, which would let a slow
      // client stay that much longer.
      connectionsCheckingInterval: Math.max(
        10,
        Math.min(1000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 4)),
      ),
    },
  });
  server.maxConnections = maxConnections;
  limitConnectionsPerAddress(server, maxConnectionsPerAddress);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (error) {
    transport?.close();
    if (!givenStore) await store.close();
    throw error;
  }
  const bound = (server.address() as AddressInfo).port;
  const telemetry = await startNodeTelemetry(
    {
      ...(metricsToken !== undefined ? { metricsToken } : {}),
      ...(metricsPort !== undefined ? { metricsPort } : {}),
      ...(tracesUrl !== undefined ? { tracesUrl } : {}),
      ...(serviceName !== undefined ? { serviceName } : {}),
    },
    options.telemetry,
  ).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    transport?.close();
    if (!givenStore) await store.close();
    throw error;
  });
  // Without a `log` option the lines go to stdout, one write per event-loop turn.
  const stdoutLog = rest.log ? undefined : batchedLog();
  const log = rest.log ?? stdoutLog!.write;
  const app = createProxy({
    ...rest,
    log,
    store,
    // Several processes share one Postgres database: they share its rate-limit windows too.
    sharedRateLimit: options.sharedRateLimit ?? store.engine === 'postgres',
    securityHeaders: options.securityHeaders ?? 'adapter',
    publicUrl: options.publicUrl ?? `http://localhost:${bound}`,
    transport: options.transport ?? transport!,
    hash: options.hash ?? nodeSha256,
    compress: options.compress ?? nodeCompress,
    clientAddress: options.clientAddress ?? ((c) => getConnInfo(c).remote.address),
    buttonScript: options.buttonScript ?? buttonScriptLoader(),
    buttonVersion:
      options.buttonVersion ?? (options.buttonScript ? undefined : bundledButtonVersion()),
    ...(telemetry.telemetry ? { telemetry: telemetry.telemetry } : {}),
  });
  late.fetch = (request, env) => app.fetch(request, env);

  // Background work: one pass at a time; a failed pass is logged by the proxy and tried again.
  let pass: Promise<unknown> | undefined;
  const timer =
    backgroundIntervalMs > 0
      ? setInterval(() => {
          pass ??= app
            .runBackground()
            .catch((error: unknown) => {
              const line = JSON.stringify({
                time: new Date().toISOString(),
                level: 'error',
                msg: 'background pass failed',
                error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
              });
              log(line);
            })
            .finally(() => {
              pass = undefined;
            });
        }, backgroundIntervalMs)
      : undefined;
  timer?.unref();

  const displayHost =
    host === '0.0.0.0' || host === ''
      ? '127.0.0.1'
      : host === '::'
        ? '[::1]'
        : host.includes(':')
          ? `[${host}]`
          : host;
  return {
    url: `http://${displayHost}:${bound}`,
    port: bound,
    ...(telemetry.metricsUrl ? { metricsUrl: telemetry.metricsUrl } : {}),
    async close() {
      clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await app.idle();
      await telemetry.close();
      transport?.close();
      if (!givenStore) await store.close();
      stdoutLog?.close();
    },
  };
}

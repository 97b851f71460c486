/** The Node entry: SQLite and Postgres stores, `startProxy`, configuration from the environment. */
export {
  createSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
  sqliteDriver,
} from './store/sqlite/create-sqlite-store.js';
export {
  createPostgresStore,
  postgresDriver,
  type PostgresStore,
  type PostgresStoreOptions,
} from './store/postgres/create-postgres-store.js';
export {
  MIGRATIONS,
  SQLITE_MIGRATIONS,
  POSTGRES_MIGRATIONS,
  type Migration,
} from './store/sql/migrations.js';
export { startProxy, type StartProxyOptions, type RunningProxy } from './node/start-proxy.js';
export type { TelemetrySettings } from './node/node-telemetry.js';
export {
  loadConfig,
  ConfigError,
  type LoadConfigOptions,
  type ProxyConfig,
  type ProxyEnvironment,
} from './node/load-config.js';
export { buttonScriptLoader, bundledButtonVersion } from './node/button-script.js';
export { nodeCompress } from './node/compress-script.js';
export { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';

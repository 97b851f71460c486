/** The Node entry: SQLite store, `startProxy`, configuration from the environment. */
export {
  createSqliteStore,
  type SqliteStore,
  type SqliteStoreOptions,
} from './store/sqlite/create-sqlite-store.js';
export { MIGRATIONS, type Migration } from './store/sqlite/migrations.js';
export { startProxy, type StartProxyOptions, type RunningProxy } from './node/start-proxy.js';
export {
  loadConfig,
  ConfigError,
  type LoadConfigOptions,
  type ProxyConfig,
  type ProxyEnvironment,
} from './node/load-config.js';
export { buttonScriptLoader } from './node/button-script.js';
export { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';

export { createSandbox, type SandboxApp } from './create-sandbox.js';
export {
  startSandbox,
  DEFAULT_PORT,
  type StartSandboxOptions,
  type RunningSandbox,
} from './start-sandbox.js';
export {
  Sandbox,
  DEFAULT_NOTIFY_SCHEDULE,
  DEFAULT_NOTIFY_TIMEOUT_MS,
  type SandboxOptions,
  type OrderView,
} from './sandbox.js';
export {
  DEFAULT_PARTNER,
  DEFAULT_CURRENCIES,
  DEFAULT_MERCHANT_NAME,
  type Partner,
  type PartnerConfig,
} from './partner.js';
export { RESULT_CODES, type ResultCode } from './result-codes.js';
export { SandboxError } from './sandbox-error.js';
export { parseChaos, type Chaos } from './chaos.js';
export type { NotificationRecord } from './notifier.js';
export type { Order, OrderState } from './order-book.js';
export { readCliEnv, CliEnvError } from './read-cli-env.js';

export { createSandbox, type SandboxApp } from './create-sandbox.js';
export { startSandbox, type StartSandboxOptions, type RunningSandbox } from './start-sandbox.js';
export type { SandboxOptions } from './sandbox-options.js';
export type { Sandbox } from './sandbox.js';
export { DEFAULT_PARTNER, type PartnerConfig } from './partner.js';
export { RESULT_CODES, type ResultCode } from './result-codes.js';
export type { Chaos } from './chaos.js';
export type { OrderView } from './order-view.js';
export type { NotificationRecord } from './notifier.js';

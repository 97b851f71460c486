import { adminTokenProblem } from './checks.js';
import { atMost, checkedBy, httpUrl, wholeNumber } from './env-values.js';
import { readEnvTable, type EnvTable, type ProxyEnvironment } from './read-env-table.js';

/** The Node entry's metrics and traces, all off unless a variable turns them on. */
export interface TelemetrySettings {
  /** `GET /metrics` on the proxy's own port, behind this bearer token. */
  metricsToken?: string;
  /** The same metrics on `127.0.0.1:<port>/metrics`, without a token. */
  metricsPort?: number;
  /** Where spans go, by OTLP/HTTP: the full traces URL. */
  tracesUrl?: string;
  /** `service.name` of the spans and metrics. */
  serviceName?: string;
}

/** The metrics and traces variables (the README's table lists them with the others). */
export const TELEMETRY_VARIABLES = {
  METRICS_TOKEN: {
    option: 'metricsToken',
    doc: 'turns GET /metrics on (Prometheus text): its bearer token, at least 32 characters',
    read: checkedBy(adminTokenProblem),
  },
  METRICS_PORT: {
    option: 'metricsPort',
    doc: 'serves the metrics on 127.0.0.1:<port>/metrics, without a token',
    read: wholeNumber(1, 65535),
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    option: 'tracesUrl',
    doc: 'turns traces on: the OTLP/HTTP collector, spans go to <url>/v1/traces',
    read: (raw: string) => `${httpUrl(raw).replace(/\/+$/, '')}/v1/traces`,
  },
  // Read after the base endpoint, so that it wins when both are set (as OpenTelemetry's SDKs do).
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    option: 'tracesUrl',
    doc: 'the OTLP/HTTP traces URL itself, instead of OTEL_EXPORTER_OTLP_ENDPOINT',
    read: httpUrl,
  },
  OTEL_SERVICE_NAME: {
    option: 'serviceName',
    doc: 'service.name of the spans and metrics',
    read: atMost(100),
  },
} satisfies EnvTable;

/**
 * `METRICS_TOKEN`, `METRICS_PORT`, `OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_SERVICE_NAME`. Throws `ConfigError`, a line per
 * bad variable, never repeating the token.
 */
export function parseTelemetryEnv(env: ProxyEnvironment): TelemetrySettings {
  return readEnvTable(env, TELEMETRY_VARIABLES) as TelemetrySettings;
}

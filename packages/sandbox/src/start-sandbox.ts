import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';
import { createSandbox, type SandboxApp } from './create-sandbox.js';
import type { Sandbox } from './sandbox.js';
import type { SandboxOptions } from './sandbox-options.js';

export interface StartSandboxOptions extends SandboxOptions {
  /** 0 picks a free port. Default 8788. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

export interface RunningSandbox {
  /** The bound base URL, e.g. `http://127.0.0.1:8788`. */
  readonly url: string;
  readonly port: number;
  readonly app: SandboxApp;
  readonly sandbox: Sandbox;
  /** Stops the server, cancels every pending notification and closes all sockets. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8788;

/**
 * Starts a sandbox on Node with `node:crypto` hashing and a keep-alive transport for
 * notifications. `publicUrl` defaults to the bound URL.
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const ownTransport = options.transport ? undefined : createNodeTransport();
  const app = createSandbox({
    ...options,
    hash: options.hash ?? nodeSha256,
    ...(ownTransport ? { transport: ownTransport } : {}),
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    app.sandbox.dispose();
    ownTransport?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  if (options.publicUrl === undefined) app.sandbox.publicUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    sandbox: app.sandbox,
    close() {
      closing ??= new Promise<void>((resolve) => {
        app.sandbox.dispose();
        ownTransport?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A host for a URL: wildcard addresses become loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

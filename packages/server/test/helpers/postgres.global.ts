import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain ES module of the workspace (scripts/), without types.
import { startPostgres } from '../../../../scripts/postgres-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One throwaway Postgres cluster for the Postgres project's run; each test makes its own databases. */
export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = (await startPostgres()) as { url: string; stop: () => void };
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}

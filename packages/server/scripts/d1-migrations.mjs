// Writes examples/workers/migrations/NNNN_<name>.sql from the proxy's own schema migrations
// (dist/store.js: build first), for `wrangler d1 migrations apply`. Each file also records its
// version in `schema_migrations`, so the Worker finds the tables made and runs nothing at start.
// test/workers-example.test.ts fails while the files differ from what this writes.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { d1MigrationFiles } from '../dist/store.js';

const dir = new URL('../examples/workers/migrations/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (name.endsWith('.sql')) rmSync(join(dir, name));
for (const file of d1MigrationFiles()) {
  writeFileSync(join(dir, file.name), file.sql);
  console.log(`d1-migrations: ${file.name}`);
}

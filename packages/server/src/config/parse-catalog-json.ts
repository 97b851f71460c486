import { CatalogError, parseCatalog, type Catalog } from '../catalog/parse-catalog.js';
import { ConfigError } from './config-error.js';

/**
 * The catalog from its JSON text (`source` names where it came from, e.g. the file path, and
 * prefixes the message). Throws `ConfigError('CATALOG', …)` naming the bad field.
 */
export function parseCatalogJson(text: string, source?: string): Catalog {
  const where = source === undefined ? '' : `${source} `;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('CATALOG', `${where}is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parseCatalog(json);
  } catch (error) {
    if (error instanceof CatalogError) {
      throw new ConfigError(
        'CATALOG',
        source === undefined ? error.message : `${source}: ${error.message}`,
      );
    }
    throw error;
  }
}

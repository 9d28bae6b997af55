import { CoreSchema1795765927560 } from './1795765927560-core-schema';

/** Every migration, in order. `node dist/scripts/generate-migration.js Name` writes a new one; add it here. */
export const MIGRATIONS = [CoreSchema1795765927560];

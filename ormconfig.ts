import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';

/** The DataSource the TypeORM CLI uses (migration:generate, migration:run, migration:revert). */
export default createDataSource({ url: loadConfig().databaseUrl, applicationName: 'byok-cli' });

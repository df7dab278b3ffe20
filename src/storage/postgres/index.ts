export { createPostgresDatabase, PostgresDatabase, type PostgresDatabaseOptions } from './driver.js';

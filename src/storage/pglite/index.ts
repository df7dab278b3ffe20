export { createPGliteDatabase, PGliteDatabase, type PGliteDatabaseOptions } from './driver.js';

export { createPGliteWorkerDatabase, PGliteWorkerDatabase, type PGliteWorkerOptions } from './driver.js';

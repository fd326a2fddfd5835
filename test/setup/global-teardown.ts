/** Jest global teardown: see redis-global.ts. */
export { teardown as default } from './redis-global';

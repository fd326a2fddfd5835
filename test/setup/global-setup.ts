/** Jest global setup: see redis-global.ts. */
export { setup as default } from './redis-global';

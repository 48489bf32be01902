// Unit-test global setup: the PostgreSQL template database (tests/support/pg-template.ts) is migrated once, here.
export { setupPgTemplate as default } from './pg-template';

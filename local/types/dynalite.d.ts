/** Minimal types for dynalite 4 (it ships none): a DynamoDB-compatible HTTP server on LevelDB. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB directory; in memory when absent. */
    path?: string;
    /** How long a new table stays CREATING. @default 500 */
    createTableMs?: number;
    /** How long a deleted table stays DELETING. @default 500 */
    deleteTableMs?: number;
    /** How long an updated table stays UPDATING. @default 500 */
    updateTableMs?: number;
    /** Largest item size. @default 400 */
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export default dynalite;
}

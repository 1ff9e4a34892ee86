// Tests start dynalite the way local mode does.
export {
  createStoreTable,
  ensureStoreTable,
  type RunningDynalite,
  startDynalite,
} from '../../local/dynalite-server.ts';

import { run } from './main';

/**
 * `npm run cluster`: the production topology on this machine. A Temporal cluster of the real
 * server (four services, four processes) on Butler's PostgreSQL, Butler's API, and two Butler
 * workers; the embedded PostgreSQL and vendors as in `npm start`. Its own data folder (.data/cluster),
 * so that the dev server's workflows and the cluster's never meet in one database.
 */
process.env.BUTLER_DATA_DIR ??= '.data/cluster';
void run({ api: true, worker: true, temporal: 'cluster', extraWorkers: 1 });

import { run } from './main';

void run({ api: false, worker: true });

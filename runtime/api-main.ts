import { run } from './main';

void run({ api: true, worker: false });

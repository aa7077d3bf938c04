// Every workflow type the worker hosts; the bundler starts from this file.
export { incidentWorkflow } from './incident/workflow';

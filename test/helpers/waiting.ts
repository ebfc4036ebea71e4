import type { TestApi } from './test-api';
import { waitUntil } from './processes';

/** Polls the key table until the key reaches one of the statuses, and returns it. */
export async function waitForKey(api: TestApi, token: string, id: string, statuses: string[], timeoutMs = 45_000): Promise<Record<string, any>> {
  let key: Record<string, any> | undefined;
  await waitUntil(
    async () => {
      const response = await api.gql(
        `query($id: ID!) { providerKey(id: $id) { id testStatus health secretVersion lastTestedAt lastError { code message httpStatus } maskedKey } }`,
        { id },
        token,
      );
      key = response.data?.providerKey;
      return Boolean(key && statuses.includes(key.testStatus));
    },
    timeoutMs,
    `key ${id} to reach ${statuses.join(' or ')}`,
  );
  return key!;
}

/** Polls until a run exists and is finished, and returns the key's runs (newest first). */
export async function waitForRuns(api: TestApi, token: string, keyId: string, count: number, timeoutMs = 45_000): Promise<Record<string, any>[]> {
  let runs: Record<string, any>[] = [];
  await waitUntil(
    async () => {
      const response = await api.gql(
        `query($id: ID!) { keyTestRuns(keyId: $id, first: 100) { id trigger status secretVersion stale attempts modelsFound latencyMs finishedAt error { code message httpStatus } } }`,
        { id: keyId },
        token,
      );
      runs = response.data?.keyTestRuns ?? [];
      return runs.filter((r) => r.finishedAt).length >= count;
    },
    timeoutMs,
    `${count} finished runs of key ${keyId}`,
  );
  return runs;
}

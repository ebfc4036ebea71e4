import type { FakeProvider } from './fake-provider';

/** Runs `work` against a fake started for it, and always closes the fake afterwards. */
export async function withFake<T>(starting: Promise<FakeProvider>, work: (fake: FakeProvider) => Promise<T>): Promise<T> {
  const fake = await starting;
  try {
    return await work(fake);
  } finally {
    await fake.close();
  }
}

/**
 * Starts one fake for a describe block: reset before each test, closed after all. Returns a getter,
 * since the fake exists only once beforeAll has run.
 */
export function useFake(start: () => Promise<FakeProvider>): () => FakeProvider {
  let fake: FakeProvider | undefined;
  beforeAll(async () => {
    fake = await start();
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake?.reset());
  return () => {
    if (!fake) throw new Error('the fake provider is used before beforeAll started it');
    return fake;
  };
}

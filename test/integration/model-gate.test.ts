import { Role } from '../../src/auth/role';
import { type FakeProvider, startAnthropicFake, startOpenAiFake } from '../helpers/fake-providers';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { codeOf } from '../helpers/graphql-client';
import { ADD_KEY, DELETE_KEY, ROTATE_KEY, fakeSecret, providerIds } from '../helpers/key-operations';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { uniquePrefix } from '../helpers/test-env';
import { startTestWorker, type TestWorker } from '../helpers/test-worker';
import { waitForKey } from '../helpers/waiting';

const MODELS = `query($capability: Capability, $includeLocked: Boolean) {
  models(capability: $capability, includeLocked: $includeLocked) { id modelId available lockedReason capabilities provider { slug } } }`;
const AVAILABLE = 'query($capability: Capability) { availableModels(capability: $capability) { id modelId provider { slug } } }';
const SELECT = `mutation($input: SelectModelInput!) { selectModel(input: $input) {
  purpose status reason model { modelId } fallbacks { modelId } effectiveModel { modelId } } }`;
const SELECTIONS = '{ modelSelections { purpose status reason model { modelId } effectiveModel { modelId } } }';
const RESOLVE = 'query($purpose: Capability!) { resolveModel(purpose: $purpose) { keyId secretVersion viaFallback model { modelId } } }';

const openAiModel = (id: string) => ({ id, object: 'model', created: 1_715_367_049, owned_by: 'system' });
const anthropicModel = (id: string) => ({ id, type: 'model', display_name: id, created_at: '2025-01-01T00:00:00Z' });

describe('the model gate: only models a tested, healthy key unlocks can be chosen', () => {
  const prefix = uniquePrefix('gate');
  let api: TestApi;
  let worker: TestWorker;
  let ids: Record<string, string>;
  const fakes: FakeProvider[] = [];

  const fake = async (start: () => Promise<FakeProvider>) => {
    const started = await start();
    fakes.push(started);
    return started;
  };
  /** Adds a key through GraphQL and waits for its test to finish. */
  const addTested = async (ws: TestWorkspace, slug: string, endpoint: string, apiKey = fakeSecret(slug), label?: string) => {
    const added = await api.gql(ADD_KEY, { input: { providerId: ids[slug], apiKey, endpoint, label } }, ws.adminToken);
    expect(added.errors).toBeUndefined();
    const id = added.data!.addProviderKey.id as string;
    return { id, apiKey, key: await waitForKey(api, ws.adminToken, id, ['PASSED', 'FAILED']) };
  };
  const available = async (ws: TestWorkspace, capability?: string) =>
    ((await api.gql(AVAILABLE, { capability }, ws.adminToken)).data!.availableModels as { modelId: string; provider: { slug: string } }[]).map(
      (m) => `${m.provider.slug}/${m.modelId}`,
    );
  const modelsById = async (ws: TestWorkspace) => {
    const all = (await api.gql(MODELS, { includeLocked: true }, ws.adminToken)).data!.models as { id: string; modelId: string; available: boolean; lockedReason: string | null; provider: { slug: string } }[];
    return new Map(all.map((m) => [`${m.provider.slug}/${m.modelId}`, m]));
  };

  beforeAll(async () => {
    api = await startTestApi({ redisPrefix: prefix });
    worker = await startTestWorker(api.database, prefix, { TEST_TIMEOUT_MS: '2000', TEST_ATTEMPTS: '1' });
    ids = await providerIds(api, (await createWorkspace(api.app.core)).adminToken);
  });
  afterAll(async () => {
    await worker.stop();
    await api.stop();
    await Promise.all(fakes.map((f) => f.close()));
  });

  it('shows every locked model with the most hopeful reason, and offers none of them', async () => {
    const ws = await createWorkspace(api.app.core, 'Reasons');
    let models = await modelsById(ws);
    expect(models.get('openai/gpt-4o')).toMatchObject({ available: false, lockedReason: 'NO_KEY' });
    expect(await available(ws)).toEqual([]);

    // A failing key: KEY_FAILED.
    const bad = await fake(() => startOpenAiFake({ defaultScenario: 'unauthorized' }));
    await addTested(ws, 'openai', bad.url);
    expect((await modelsById(ws)).get('openai/gpt-4o')!.lockedReason).toBe('KEY_FAILED');

    // An untested key beats a failed one: KEY_UNTESTED (a key whose test never answers).
    const slow = await fake(() => startOpenAiFake({ defaultScenario: 'hang' }));
    const untested = await api.gql(ADD_KEY, { input: { providerId: ids.openai, apiKey: fakeSecret(), endpoint: slow.url } }, ws.adminToken);
    expect((await modelsById(ws)).get('openai/gpt-4o')!.lockedReason).toBe('KEY_UNTESTED');

    // A passed key that lists only gpt-4o-mini: gpt-4o is NOT_IN_KEY_LISTING, gpt-4o-mini available.
    const mini = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('gpt-4o-mini')] }));
    const good = await addTested(ws, 'openai', mini.url);
    models = await modelsById(ws);
    expect(models.get('openai/gpt-4o')).toMatchObject({ available: false, lockedReason: 'NOT_IN_KEY_LISTING' });
    expect(models.get('openai/gpt-4o-mini')).toMatchObject({ available: true, lockedReason: null });
    expect(await available(ws)).toEqual(['openai/gpt-4o-mini']);

    // The passed key turns unhealthy: KEY_UNHEALTHY beats untested and failed, and nothing is offered.
    await api.app.core.db.query("UPDATE provider_keys SET health = 'UNHEALTHY' WHERE id = $1", [good.id]);
    models = await modelsById(ws);
    expect(models.get('openai/gpt-4o-mini')).toMatchObject({ available: false, lockedReason: 'KEY_UNHEALTHY' });
    expect(await available(ws)).toEqual([]);
    await api.gql(DELETE_KEY, { id: untested.data!.addProviderKey.id }, ws.adminToken);
  }, 30_000);

  it('a key that lists 3 of 5 catalog models unlocks exactly those 3, filtered by capability', async () => {
    const ws = await createWorkspace(api.app.core, 'Three');
    const listing = ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small'].map(openAiModel);
    const provider = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: listing }));
    const { key, id } = await addTested(ws, 'openai', provider.url);
    expect(key.testStatus).toBe('PASSED');
    const models = await modelsById(ws);
    for (const id_ of ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']) expect(models.get(`openai/${id_}`)!.available).toBe(true);
    for (const id_ of ['gpt-4.1', 'o3-mini']) expect(models.get(`openai/${id_}`)).toMatchObject({ available: false, lockedReason: 'NOT_IN_KEY_LISTING' });
    expect((await available(ws)).sort()).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/text-embedding-3-small']);
    // The embedding model can do none of the six, so no picker offers it.
    expect((await available(ws, 'WRITING')).sort()).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini']);
    expect((await available(ws, 'VISION')).sort()).toEqual(['openai/gpt-4o', 'openai/gpt-4o-mini']);
    const unlocked = await api.gql('query($id: ID!) { providerKey(id: $id) { unlockedModels { modelId } } }', { id }, ws.adminToken);
    expect(unlocked.data!.providerKey.unlockedModels.map((m: { modelId: string }) => m.modelId).sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']);
  });

  it('two keys for one provider with different listings unlock the union, each its own', async () => {
    const ws = await createWorkspace(api.app.core, 'Two keys');
    const a = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('gpt-4o'), openAiModel('ft:gpt-4o-mini:acme::abc123')] }));
    const b = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('o3-mini')] }));
    const first = await addTested(ws, 'openai', a.url);
    const second = await addTested(ws, 'openai', b.url);
    expect((await available(ws)).sort()).toEqual(['openai/ft:gpt-4o-mini:acme::abc123', 'openai/gpt-4o', 'openai/o3-mini']);
    await api.app.core.db.query("UPDATE provider_keys SET test_status = 'FAILED' WHERE id = $1", [first.id]);
    expect(await available(ws)).toEqual(['openai/o3-mini']);
    expect((await modelsById(ws)).get('openai/gpt-4o')!.lockedReason).toBe('NOT_IN_KEY_LISTING');
    expect(second.key.testStatus).toBe('PASSED');

    // A fine-tuned model one workspace lists is never shown to another.
    const other = await createWorkspace(api.app.core, 'Other');
    expect([...(await modelsById(other)).keys()].filter((k) => k.includes('acme'))).toEqual([]);
  });

  it('custom providers unlock the declared models their listing confirms', async () => {
    const ws = await createWorkspace(api.app.core, 'Custom');
    const host = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: ['llama-3.1-70b', 'qwen-2.5-vl', 'not-declared'].map(openAiModel) }));
    const created = await api.gql(
      `mutation($input: CreateCustomProviderInput!) { createCustomProvider(input: $input) { id slug } }`,
      {
        input: {
          name: 'Acme LLM',
          endpoint: host.url,
          protocol: 'OPENAI',
          models: [
            { modelId: 'llama-3.1-70b', capabilities: ['WRITING', 'REPLIES', 'TOOLS'] },
            { modelId: 'qwen-2.5-vl', capabilities: ['VISION', 'WRITING'] },
            { modelId: 'mixtral-8x22b', capabilities: ['WRITING'] },
          ],
        },
      },
      ws.adminToken,
    );
    const providerId = created.data!.createCustomProvider.id;
    let models = await modelsById(ws);
    expect(models.get('acme-llm/llama-3.1-70b')).toMatchObject({ available: false, lockedReason: 'NO_KEY' });
    const added = await api.gql(ADD_KEY, { input: { providerId, apiKey: fakeSecret() } }, ws.adminToken);
    await waitForKey(api, ws.adminToken, added.data!.addProviderKey.id, ['PASSED']);
    expect((await available(ws)).sort()).toEqual(['acme-llm/llama-3.1-70b', 'acme-llm/qwen-2.5-vl']);
    expect(await available(ws, 'VISION')).toEqual(['acme-llm/qwen-2.5-vl']);
    models = await modelsById(ws);
    expect(models.get('acme-llm/mixtral-8x22b')!.lockedReason).toBe('NOT_IN_KEY_LISTING');
    expect(models.has('acme-llm/not-declared')).toBe(false);
    const providers = await api.gql('{ providers { slug models { modelId available } } }', undefined, ws.adminToken);
    const acme = providers.data!.providers.find((p: { slug: string }) => p.slug === 'acme-llm');
    expect(acme.models.filter((m: { available: boolean }) => m.available)).toHaveLength(2);
  });

  it('selectModel refuses a locked model with MODEL_LOCKED naming the key, and a purpose the model lacks', async () => {
    const ws = await createWorkspace(api.app.core, 'Refusals');
    let models = await modelsById(ws);
    const refusedNoKey = await api.gql(SELECT, { input: { purpose: 'WRITING', modelId: models.get('openai/gpt-4o')!.id } }, ws.adminToken);
    expect(codeOf(refusedNoKey)).toBe('MODEL_LOCKED');
    expect(refusedNoKey.errors![0].message).toMatch(/no OpenAI key/);

    const bad = await fake(() => startOpenAiFake({ defaultScenario: 'unauthorized' }));
    const failed = await addTested(ws, 'openai', bad.url, fakeSecret(), 'prod');
    const refusedFailed = await api.gql(SELECT, { input: { purpose: 'WRITING', modelId: models.get('openai/gpt-4o')!.id } }, ws.adminToken);
    expect(codeOf(refusedFailed)).toBe('MODEL_LOCKED');
    expect(refusedFailed.errors![0].message).toContain(`"prod" (${failed.key.maskedKey}) failed its test`);

    const good = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: ['gpt-4o', 'text-embedding-3-small'].map(openAiModel) }));
    await addTested(ws, 'openai', good.url);
    models = await modelsById(ws);
    const wrongPurpose = await api.gql(SELECT, { input: { purpose: 'WRITING', modelId: models.get('openai/text-embedding-3-small')!.id } }, ws.adminToken);
    expect(codeOf(wrongPurpose)).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(SELECT, { input: { purpose: 'IMAGES', modelId: models.get('openai/gpt-4o')!.id } }, ws.adminToken))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.gql(SELECT, { input: { purpose: 'WRITING', modelId: '00000000-0000-4000-8000-000000000000' } }, ws.adminToken))).toBe('NOT_FOUND');
    const ok = await api.gql(SELECT, { input: { purpose: 'WRITING', modelId: models.get('openai/gpt-4o')!.id } }, ws.adminToken);
    expect(ok.data!.selectModel).toMatchObject({ status: 'ACTIVE', effectiveModel: { modelId: 'gpt-4o' } });
    expect(codeOf(await api.gql(SELECT, { input: { purpose: 'WRITING', modelId: models.get('openai/gpt-4o')!.id } }, await ws.token(Role.SERVICE)))).toBe('FORBIDDEN');
  });

  it('delete → fallback → blocked → recovery: selections follow their keys, and resolveModel never hands out a locked key', async () => {
    const ws = await createWorkspace(api.app.core, 'Round trip');
    const service = await ws.token(Role.SERVICE);
    const openai = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('gpt-4o')] }));
    const anthropic = await fake(() => startAnthropicFake({ defaultScenario: 'valid', models: [anthropicModel('claude-sonnet-4-5')] }));
    const primary = await addTested(ws, 'openai', openai.url);
    const backupSecret = fakeSecret('anthropic');
    const backup = await addTested(ws, 'anthropic', anthropic.url, backupSecret);
    const models = await modelsById(ws);
    const chosen = await api.gql(
      SELECT,
      { input: { purpose: 'WRITING', modelId: models.get('openai/gpt-4o')!.id, fallbackModelIds: [models.get('anthropic/claude-sonnet-4-5')!.id] } },
      ws.adminToken,
    );
    expect(chosen.data!.selectModel).toMatchObject({ status: 'ACTIVE', fallbacks: [{ modelId: 'claude-sonnet-4-5' }] });
    let resolved = await api.gql(RESOLVE, { purpose: 'WRITING' }, service);
    expect(resolved.data!.resolveModel).toMatchObject({ keyId: primary.id, viaFallback: false, secretVersion: 1, model: { modelId: 'gpt-4o' } });

    await api.gql(DELETE_KEY, { id: primary.id }, ws.adminToken);
    let selection = (await api.gql(SELECTIONS, undefined, ws.adminToken)).data!.modelSelections[0];
    expect(selection).toMatchObject({ status: 'FALLBACK', effectiveModel: { modelId: 'claude-sonnet-4-5' } });
    expect(selection.reason).toMatch(/gpt-4o is locked/);
    resolved = await api.gql(RESOLVE, { purpose: 'WRITING' }, service);
    expect(resolved.data!.resolveModel).toMatchObject({ keyId: backup.id, viaFallback: true });

    // The backup's new secret is bad: the selection blocks, and resolveModel says MODEL_LOCKED.
    const badSecret = fakeSecret('anthropic');
    anthropic.setKey(badSecret, 'unauthorized');
    await api.gql(ROTATE_KEY, { id: backup.id, apiKey: badSecret }, ws.adminToken);
    selection = (await api.gql(SELECTIONS, undefined, ws.adminToken)).data!.modelSelections[0];
    expect(selection).toMatchObject({ status: 'BLOCKED', effectiveModel: null });
    await waitForKey(api, ws.adminToken, backup.id, ['FAILED']);
    expect(codeOf(await api.gql(RESOLVE, { purpose: 'WRITING' }, service))).toBe('MODEL_LOCKED');

    // Fixed: a good secret passes and the fallback returns; a new OpenAI key brings the choice back.
    await api.gql(ROTATE_KEY, { id: backup.id, apiKey: fakeSecret('anthropic') }, ws.adminToken);
    await waitForKey(api, ws.adminToken, backup.id, ['PASSED']);
    expect((await api.gql(SELECTIONS, undefined, ws.adminToken)).data!.modelSelections[0].status).toBe('FALLBACK');
    const again = await addTested(ws, 'openai', openai.url);
    selection = (await api.gql(SELECTIONS, undefined, ws.adminToken)).data!.modelSelections[0];
    expect(selection).toMatchObject({ status: 'ACTIVE', effectiveModel: { modelId: 'gpt-4o' }, reason: null });
    resolved = await api.gql(RESOLVE, { purpose: 'WRITING' }, service);
    expect(resolved.data!.resolveModel).toMatchObject({ keyId: again.id, viaFallback: false });

    const audit = await api.app.core.db.query(
      "SELECT details->>'to' AS to FROM audit_events WHERE workspace_id = $1 AND action = 'selection.changed' ORDER BY id",
      [ws.workspace.id],
    );
    expect(audit.map((r: { to: string }) => r.to)).toEqual(['FALLBACK', 'BLOCKED', 'FALLBACK', 'ACTIVE']);
    expect(backupSecret).not.toBe(badSecret);
  }, 60_000);

  it('rotating a key falls back until the new secret passes', async () => {
    const ws = await createWorkspace(api.app.core, 'Rotation');
    const openai = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('gpt-4o')] }));
    const anthropic = await fake(() => startAnthropicFake({ defaultScenario: 'valid', models: [anthropicModel('claude-sonnet-4-5')] }));
    const primary = await addTested(ws, 'openai', openai.url);
    await addTested(ws, 'anthropic', anthropic.url);
    const models = await modelsById(ws);
    await api.gql(SELECT, { input: { purpose: 'REPLIES', modelId: models.get('openai/gpt-4o')!.id, fallbackModelIds: [models.get('anthropic/claude-sonnet-4-5')!.id] } }, ws.adminToken);
    openai.setDelay(1_000);
    await api.gql(ROTATE_KEY, { id: primary.id, apiKey: fakeSecret() }, ws.adminToken);
    expect((await api.gql(SELECTIONS, undefined, ws.adminToken)).data!.modelSelections[0]).toMatchObject({ status: 'FALLBACK', effectiveModel: { modelId: 'claude-sonnet-4-5' } });
    await waitForKey(api, ws.adminToken, primary.id, ['PASSED']);
    openai.setDelay(0);
    expect((await api.gql(SELECTIONS, undefined, ws.adminToken)).data!.modelSelections[0]).toMatchObject({ status: 'ACTIVE', effectiveModel: { modelId: 'gpt-4o' } });
  });

  it('resolveModel prefers a HEALTHY key over a DEGRADED one and never returns an unhealthy or untested key', async () => {
    const ws = await createWorkspace(api.app.core, 'Resolve');
    const service = await ws.token(Role.SERVICE);
    const openai = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('gpt-4o')] }));
    const one = await addTested(ws, 'openai', openai.url);
    const two = await addTested(ws, 'openai', openai.url);
    const models = await modelsById(ws);
    await api.gql(SELECT, { input: { purpose: 'AGENTS', modelId: models.get('openai/gpt-4o')!.id } }, ws.adminToken);
    await api.app.core.db.query("UPDATE provider_keys SET health = 'DEGRADED' WHERE id = $1", [one.id]);
    expect((await api.gql(RESOLVE, { purpose: 'AGENTS' }, service)).data!.resolveModel.keyId).toBe(two.id);
    await api.app.core.db.query("UPDATE provider_keys SET health = 'UNHEALTHY' WHERE id = $1", [two.id]);
    expect((await api.gql(RESOLVE, { purpose: 'AGENTS' }, service)).data!.resolveModel.keyId).toBe(one.id);
    await api.app.core.db.query("UPDATE provider_keys SET test_status = 'UNTESTED' WHERE id = $1", [one.id]);
    expect(codeOf(await api.gql(RESOLVE, { purpose: 'AGENTS' }, service))).toBe('MODEL_LOCKED');
    expect((await api.gql(RESOLVE, { purpose: 'IMAGES' }, service)).data!.resolveModel).toBeNull();
    expect(codeOf(await api.gql(RESOLVE, { purpose: 'AGENTS' }, await ws.token(Role.MEMBER)))).toBe('FORBIDDEN');
  });

  it("isolates workspaces: another workspace's models and selections answer like missing ones", async () => {
    const mine = await createWorkspace(api.app.core, 'Mine');
    const theirs = await createWorkspace(api.app.core, 'Theirs');
    const host = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('gpt-4o'), openAiModel('acme-secret-model')] }));
    await addTested(mine, 'openai', host.url);
    const secretModel = (await modelsById(mine)).get('openai/acme-secret-model')!;
    expect(await available(theirs)).toEqual([]);
    expect(codeOf(await api.gql(SELECT, { input: { purpose: 'WRITING', modelId: secretModel.id } }, theirs.adminToken))).toBe('NOT_FOUND');
    expect((await api.gql(SELECTIONS, undefined, theirs.adminToken)).data!.modelSelections).toEqual([]);
  });

  it('answers availableModels with the same number of SQL statements however many keys and models', async () => {
    const count = async (ws: TestWorkspace): Promise<number> => {
      const db = api.app.core.db as unknown as { logger: { logQuery: (...args: unknown[]) => void } };
      const original = db.logger.logQuery.bind(db.logger);
      let statements = 0;
      db.logger.logQuery = (...args: unknown[]) => {
        statements += 1;
        original(...args);
      };
      try {
        const response = await api.gql(AVAILABLE, { capability: 'WRITING' }, ws.adminToken);
        expect(response.errors).toBeUndefined();
      } finally {
        db.logger.logQuery = original;
      }
      return statements;
    };
    const small = await createWorkspace(api.app.core, 'Small');
    const one = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: [openAiModel('gpt-4o')] }));
    await addTested(small, 'openai', one.url);

    const big = await createWorkspace(api.app.core, 'Big');
    const many = await fake(() => startOpenAiFake({ defaultScenario: 'valid', models: Array.from({ length: 300 }, (_, i) => openAiModel(`gpt-custom-${i}`)) }));
    for (let i = 0; i < 4; i += 1) await addTested(big, 'openai', many.url);
    expect((await available(big, 'WRITING')).length).toBe(300);
    // Warm both (lastUsedAt writes happen at most once a minute per token), then compare.
    await count(small);
    await count(big);
    const statements = await count(small);
    // A token lookup, the availability query and one batched provider lookup.
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThanOrEqual(3);
    expect(await count(big)).toBe(statements);
  }, 60_000);
});

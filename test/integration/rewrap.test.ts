import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { runAdmin } from '../../scripts/admin';
import type { KeyringEntry } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { maskSecret } from '../../src/secrets/mask';
import { rewrapSecrets } from '../../src/secrets/rewrap';
import { Vault, keyringVersionOf } from '../../src/secrets/vault';
import { fakeSecret } from '../helpers/key-operations';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { testEnv } from '../helpers/test-env';

const v1: KeyringEntry = { version: 1, key: Buffer.alloc(32, 1) };
const v2: KeyringEntry = { version: 2, key: Buffer.alloc(32, 2) };
const keyringText = (...entries: KeyringEntry[]) => entries.map((e) => `${e.version}:${e.key.toString('base64')}`).join(',');
const OPENAI = '00000000-0000-4000-a000-000000000001';

describe('rewrap-secrets', () => {
  let database: TestDatabase;
  let db: DataSource;
  let workspaceId: string;
  const plaintexts = new Map<string, string>();

  async function seed(count: number, vault: Vault): Promise<void> {
    const rows: unknown[][] = [];
    for (let i = 0; i < count; i += 1) {
      const id = randomUUID();
      const secret = fakeSecret();
      plaintexts.set(id, secret);
      rows.push([id, workspaceId, OPENAI, 'https://api.openai.com/v1', vault.seal(secret, { workspaceId, keyId: id, secretVersion: 1 }), vault.fingerprint(OPENAI, secret), maskSecret(secret)]);
    }
    for (let i = 0; i < rows.length; i += 250) {
      const chunk = rows.slice(i, i + 250);
      const values = chunk.map((_, r) => `($${r * 7 + 1}, $${r * 7 + 2}, $${r * 7 + 3}, $${r * 7 + 4}, $${r * 7 + 5}, $${r * 7 + 6}, $${r * 7 + 7})`).join(', ');
      await db.query(`INSERT INTO provider_keys (id, workspace_id, provider_id, endpoint, secret, fingerprint, masked_key) VALUES ${values}`, chunk.flat());
    }
  }

  async function allSecrets(): Promise<{ id: string; workspace_id: string; secret: Buffer }[]> {
    return db.query('SELECT id, workspace_id, secret FROM provider_keys');
  }

  beforeAll(async () => {
    database = await createTestDatabase('rewrap');
    db = createDataSource({ url: database.url, poolSize: 4 });
    await db.initialize();
    [{ id: workspaceId }] = await db.query("INSERT INTO workspaces (name) VALUES ('Rewrap') RETURNING id");
    await seed(1000, new Vault([v1]));
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('re-encrypts 1,000 secrets from v1 to v2 in resumable batches; v2 alone then opens them all', async () => {
    const rotated = new Vault([v2, v1]);
    // Interrupt the first run after three batches, as a crash would.
    let batches = 0;
    await expect(
      rewrapSecrets(db, rotated, {
        batchSize: 100,
        onBatch: () => {
          batches += 1;
          if (batches === 3) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    const partly = await allSecrets();
    expect(partly.filter((r) => keyringVersionOf(r.secret) === 2)).toHaveLength(300);

    const report = await rewrapSecrets(db, rotated, { batchSize: 100 });
    expect(report).toEqual({ rewrapped: 700, current: 300, failed: [] });

    const onlyV2 = new Vault([v2]);
    const rows = await allSecrets();
    expect(rows).toHaveLength(1000);
    for (const row of rows) {
      expect(keyringVersionOf(row.secret)).toBe(2);
      expect(onlyV2.open(row.secret, { workspaceId: row.workspace_id, keyId: row.id, secretVersion: 1 })).toBe(plaintexts.get(row.id));
    }
    // Fingerprints moved too: a duplicate is still found with v1 gone from the keyring.
    const [sample] = rows;
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM provider_keys WHERE fingerprint = ANY($1::bytea[])', [
      onlyV2.fingerprintCandidates(OPENAI, plaintexts.get(sample.id)!),
    ]);
    expect(n).toBe(1);

    expect(await rewrapSecrets(db, rotated, { batchSize: 100 })).toEqual({ rewrapped: 0, current: 1000, failed: [] });
  });

  it('runs from the admin command line, reports counts, and names secrets it cannot open', async () => {
    const v3: KeyringEntry = { version: 3, key: Buffer.alloc(32, 3) };
    const stranger = randomUUID();
    const secret = fakeSecret();
    const v9 = new Vault([{ version: 9, key: Buffer.alloc(32, 9) }]);
    await db.query('INSERT INTO provider_keys (id, workspace_id, provider_id, endpoint, secret, fingerprint, masked_key) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      stranger, workspaceId, OPENAI, 'https://api.openai.com/v1', v9.seal(secret, { workspaceId, keyId: stranger, secretVersion: 1 }), v9.fingerprint(OPENAI, secret), maskSecret(secret),
    ]);
    const out: string[] = [];
    const err: string[] = [];
    const env = testEnv(database.url, 'unused', { SECRETS_KEYRING: keyringText(v3, v2) });
    const code = await runAdmin(['rewrap-secrets', '--json', '--batch-size', '300'], { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
    expect(code).toBe(1);
    const report = JSON.parse(out[0]);
    expect(report).toMatchObject({ keyringVersion: 3, rewrapped: 1000, current: 0, secretsByKeyringVersion: { 3: 1000, 9: 1 } });
    expect(report.failed).toEqual([{ id: stranger, reason: expect.stringMatching(/keyring version 9, which SECRETS_KEYRING does not list/) }]);
    expect(err.join('\n')).toMatch(/1 secret\(s\) could not be rewrapped/);
    expect([...out, ...err].join('\n')).not.toContain(secret.slice(8, 24));
  });
});

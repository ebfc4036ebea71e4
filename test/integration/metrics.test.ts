import { createWorkerApp } from '../../workers/worker-app';
import { loadConfig } from '../../src/config';
import { KeyErrorCode } from '../../src/keys/key-error-code';
import { captureLogs } from '../helpers/log-capture';
import { createWorkspace, type TestWorkspace } from '../helpers/factories';
import { startTestApi, type TestApi } from '../helpers/test-api';
import { createTestDatabase } from '../helpers/test-database';
import { testEnv, uniquePrefix } from '../helpers/test-env';

const METRIC_NAMES = [
  'byok_key_tests_total',
  'byok_key_test_duration_seconds',
  'byok_runtime_reports_accepted_total',
  'byok_key_health_flips_total',
  'byok_queue_jobs',
  'byok_queue_failed_jobs',
  'byok_graphql_subscriptions_active',
  'byok_graphql_operations_total',
];
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('api /metrics', () => {
  let api: TestApi;
  let acme: TestWorkspace;
  beforeAll(async () => {
    api = await startTestApi();
    acme = await createWorkspace(api.app.core, 'Metrics');
  });
  afterAll(() => api.stop());

  const scrape = async () => {
    const response = await fetch(`${api.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('lists every metric of the service', async () => {
    const text = await scrape();
    for (const name of METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('byok_process_cpu_seconds_total');
  });

  it('counts GraphQL operations by name, type and first error code, with no ids or secrets', async () => {
    await api.gql('query WhoAmI { viewer { role appKeyId workspace { id } } }', undefined, acme.adminToken);
    await api.gql('query Keys { appKeys { id } }', undefined, await acme.token('MEMBER' as never));
    await api.gql('mutation Boom($x: Int) { nope }', { x: 1 }, acme.adminToken);
    const text = await scrape();
    expect(text).toMatch(/byok_graphql_operations_total\{operation="WhoAmI",type="query",code="OK",process="api"\} [1-9]/);
    expect(text).toMatch(/byok_graphql_operations_total\{operation="Keys",type="query",code="FORBIDDEN",process="api"\} 1/);
    expect(text).toMatch(/byok_graphql_operations_total\{operation="Boom",type="mutation",code="GRAPHQL_VALIDATION_FAILED",process="api"\} 1/);
    const viewer = await api.gql('{ viewer { appKeyId } }', undefined, acme.adminToken);
    expect(text).not.toContain(acme.workspace.id);
    expect(text).not.toContain(viewer.data?.viewer.appKeyId);
    expect(text).not.toContain('byok_' + acme.adminToken.slice(5, 12));
  });

  it('answers only METRICS_TOKEN when it is set', async () => {
    const locked = await startTestApi({ database: api.database, env: { METRICS_TOKEN } });
    try {
      const anonymous = await fetch(`${locked.baseUrl}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await fetch(`${locked.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789abcdef' } })).status).toBe(401);
      expect((await fetch(`${locked.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    } finally {
      await locked.stop();
    }
  });
});

describe('worker /metrics and /healthz', () => {
  it('serves its own metrics on WORKER_PORT and stops serving on shutdown', async () => {
    const database = await createTestDatabase('workermetrics');
    const worker = createWorkerApp(loadConfig(testEnv(database.url, uniquePrefix('wm'))), { logger: captureLogs().logger });
    try {
      await worker.ready();
      const base = `http://127.0.0.1:${worker.port()}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });

      worker.metrics.keyTestFinished({ slug: 'openai', builtIn: true }, 'passed', 0.4);
      worker.metrics.keyTestFinished({ slug: 'acme-internal-llm', builtIn: false }, KeyErrorCode.INVALID_KEY, 0.2);
      worker.metrics.healthFlipped('UNHEALTHY', 'invalid_key');
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toContain('byok_key_tests_total{provider="openai",result="passed",process="worker"} 1');
      expect(text).toContain('byok_key_tests_total{provider="custom",result="invalid_key",process="worker"} 1');
      expect(text).toContain('byok_key_health_flips_total{to="UNHEALTHY",reason="invalid_key",process="worker"} 1');
      expect(text).toContain('byok_key_test_duration_seconds_count{process="worker",provider="openai"} 1');
      expect(text).not.toContain('acme-internal-llm');
      expect((await fetch(`${base}/nope`)).status).toBe(404);

      await worker.stop();
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    } finally {
      await worker.stop();
      await database.drop();
    }
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../helpers/processes';
import { ADMIN_URL } from '../helpers/test-database';
import { TEST_REDIS_URL } from '../helpers/test-env';

interface Report {
  mode: string;
  results: { workload: string; rows: { measure: string; value: number; baseline?: string; ratio?: number }[]; checks: string[] }[];
  failures: unknown[];
}

/**
 * `npm run bench` end to end on the workloads that run in seconds: real api and worker processes,
 * the work checked, each measure next to its baseline. No timing is asserted, only that it ran.
 */
describe('npm run bench', () => {
  it('runs flip, ingest and sweep in quick mode, checks the work and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byok-bench-test-'));
    const out = join(dir, 'report.json');
    try {
      const run = runCommand('npm', ['run', 'bench', '--', '--quick', '--only', 'flip,ingest,sweep', '--out', out], {
        DATABASE_URL: ADMIN_URL,
        REDIS_URL: TEST_REDIS_URL,
        BENCH_DATABASE: `byok_bench_test_${process.pid}`,
      });
      const exit = await run.exited;
      if (exit.code !== 0) throw new Error(`bench exited ${exit.code}:\n${run.output.slice(-40).join('\n')}`);
      const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
      expect(report.mode).toBe('quick');
      expect(report.failures).toEqual([]);
      expect(report.results.map((r) => r.workload)).toEqual(['flip', 'ingest', 'sweep']);
      for (const result of report.results) {
        expect(result.checks.length).toBeGreaterThan(0);
        const compared = result.rows.filter((r) => r.baseline !== undefined);
        expect(compared.length).toBeGreaterThan(0);
        for (const r of compared) expect(r.ratio).toBeGreaterThan(0);
      }
      expect(run.output.join('\n')).toMatch(/\| workload +\| measure/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

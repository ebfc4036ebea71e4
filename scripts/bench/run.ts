import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { BenchEnv, type BenchOptions } from './bench-env';
import { table, type Row, type WorkloadResult } from './stats';
import { fanOut } from './workloads/fan-out';
import { flipToScreen } from './workloads/flip-to-screen';
import { keyTestThroughput } from './workloads/key-test-throughput';
import { pickerThroughput } from './workloads/picker-throughput';
import { runtimeIngest } from './workloads/runtime-ingest';
import { schedulerSweep } from './workloads/scheduler-sweep';

/** A workload seeds what it needs, starts the processes it measures and stops them before it returns. */
export type Workload = (env: BenchEnv, log: (line: string) => void) => Promise<WorkloadResult>;

const WORKLOADS: Readonly<Record<string, Workload>> = {
  picker: pickerThroughput,
  flip: flipToScreen,
  'fan-out': fanOut,
  'key-tests': keyTestThroughput,
  ingest: runtimeIngest,
  sweep: schedulerSweep,
};

const USAGE = `usage: npm run bench -- [--quick] [--only ${Object.keys(WORKLOADS).join(',')}] [--out FILE] [--keep]`;

function parseArgs(argv: readonly string[]): BenchOptions & { only: string[]; out?: string } {
  let quick = false;
  let keep = false;
  let out: string | undefined;
  let only = Object.keys(WORKLOADS);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') quick = true;
    else if (arg === '--keep') keep = true;
    else if ((arg === '--out' || arg === '--only') && (argv[i + 1] === undefined || argv[i + 1].startsWith('--'))) {
      throw new Error(`${arg} needs a value\n${USAGE}`);
    } else if (arg === '--out') out = argv[(i += 1)];
    else if (arg === '--only') {
      only = argv[(i += 1)].split(',').map((s) => s.trim());
      const unknown = only.filter((name) => !WORKLOADS[name]);
      if (unknown.length) throw new Error(`unknown workload(s): ${unknown.join(', ')}\n${USAGE}`);
    } else throw new Error(`unknown argument "${arg}"\n${USAGE}`);
  }
  return { quick, keep, out, only };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  log(`${args.quick ? 'quick' : 'full'} run of ${args.only.join(', ')} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
  const env = await BenchEnv.create(args, log);
  const results: WorkloadResult[] = [];
  const failures: { workload: string; error: string }[] = [];
  const stop = () => {
    log('interrupted: stopping the processes');
    void env.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (const name of args.only) {
      log(`${name}: starting`);
      const workloadStarted = Date.now();
      try {
        const result = await WORKLOADS[name](env, (line) => log(`${name}: ${line}`));
        results.push(result);
        log(`${name}: done in ${((Date.now() - workloadStarted) / 1000).toFixed(1)} s; checked: ${result.checks.join('; ')}`);
      } catch (error) {
        failures.push({ workload: name, error: (error as Error).message });
        log(`${name}: FAILED: ${(error as Error).stack ?? String(error)}`);
      } finally {
        await env.stopAll();
      }
    }
  } finally {
    await env.close();
  }
  const rows: Row[] = results.flatMap((r) => r.rows);
  process.stdout.write(`\n${table(rows)}\n`);
  const report = { date: new Date().toISOString(), mode: args.quick ? 'quick' : 'full', machine, seconds: (Date.now() - started) / 1000, results, failures };
  if (args.out) {
    writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
    log(`wrote ${args.out}`);
  }
  log(`finished in ${report.seconds.toFixed(0)} s`);
  if (failures.length) {
    log(`${failures.length} workload(s) failed: ${failures.map((f) => `${f.workload} (${f.error.split('\n')[0]})`).join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

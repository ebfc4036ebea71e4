import { ConfigError, loadConfig } from '../../src/config';

describe('runtime health configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}).runtimeHealth).toEqual({
      rateLimitCooldownMs: 60_000,
      failureThreshold: 5,
      failureRatio: 0.5,
      minCalls: 10,
      failureWindowMs: 300_000,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({ RATE_LIMIT_COOLDOWN_MS: '1500', FAILURE_THRESHOLD: '3', FAILURE_RATIO: '0.25', MIN_CALLS: '20', FAILURE_WINDOW_MS: '60000' });
    expect(config.runtimeHealth).toEqual({ rateLimitCooldownMs: 1500, failureThreshold: 3, failureRatio: 0.25, minCalls: 20, failureWindowMs: 60_000 });
    expect(Object.isFrozen(config.runtimeHealth)).toBe(true);
  });

  it('names every bad value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ RATE_LIMIT_COOLDOWN_MS: '-1', FAILURE_THRESHOLD: '0', FAILURE_RATIO: '1.5', MIN_CALLS: 'ten', FAILURE_WINDOW_MS: '10' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['RATE_LIMIT_COOLDOWN_MS', 'FAILURE_THRESHOLD', 'FAILURE_RATIO', 'MIN_CALLS', 'FAILURE_WINDOW_MS']) expect(problems).toContain(name);
  });
});

import { createHash } from 'node:crypto';

/**
 * The Lua that counts runtime outcomes. One script call is atomic in Redis, so however many worker
 * processes count at once, each report is counted once and each health transition is decided by
 * exactly one call (the one that changes `state`), never by "every report past the threshold".
 *
 * One hash per key and secret version holds:
 *   state            HEALTHY | DEGRADED | UNHEALTHY as the counters see it (absent: HEALTHY)
 *   consec           transient failures in a row
 *   calls, fails     totals of the live window slices; c:<n>, f:<n> one slice; lo the oldest live slice
 *   until, episode   end of the rate-limit cooldown (ms), and which DEGRADED episode it belongs to
 *   p_*              the last transition until the worker has written it to Postgres (p_id names it)
 */

export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(body: string): LuaScript {
  const source = `${COMMON}\n${body}`;
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const COMMON = `
local h = KEYS[1]
local function int(n) return string.format('%d', n) end
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function num(field) return tonumber(redis.call('HGET', h, field) or '0') end
local function setPending(from, to, reason, consec, calls, fails, now)
  local id = redis.call('HINCRBY', h, 'p_seq', 1)
  redis.call('HSET', h, 'p_id', id, 'p_from', from, 'p_to', to, 'p_reason', reason, 'p_consec', int(consec),
    'p_calls', int(calls), 'p_fails', int(fails), 'p_at', int(now), 'p_episode', int(num('episode')), 'p_until', int(num('until')))
end
local function pending()
  return redis.call('HMGET', h, 'p_id', 'p_from', 'p_to', 'p_reason', 'p_consec', 'p_calls', 'p_fails', 'p_at', 'p_episode', 'p_until')
end
-- A DEGRADED hash must outlive its cooldown job; any other expires once nothing was counted for a while.
local function keepFor(state, ttl)
  if state == 'DEGRADED' then redis.call('PERSIST', h) else redis.call('PEXPIRE', h, ttl) end
end
`;

/**
 * KEYS: state hash, the job's marker set. ARGV: marker member, threshold, ratio (parts per million),
 * min calls, window ms, window slices, cooldown ms, hash ttl ms, marker ttl ms, then pairs of
 * (kind, at ms). Returns {counted (0 when this job was already counted for this key), pending...}.
 */
export const APPLY_REPORTS = script(`
local marked = redis.call('SADD', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[9])
-- A retried job counts nothing twice, but still hands back a transition it may not have written.
if marked == 0 then return {0, unpack(pending())} end

local threshold, ratioPpm, minCalls = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local windowMs, slices, cooldownMs = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local now = nowMs()
local width = math.ceil(windowMs / slices)
local first = math.floor(now / width) - slices + 1

local start = redis.call('HGET', h, 'state') or 'HEALTHY'
local state = start
local consec, calls, fails, untilMs = num('consec'), num('calls'), num('fails'), num('until')
local lo = tonumber(redis.call('HGET', h, 'lo') or first)
-- Slices that left the window leave the totals; only slices lo .. lo + slices - 1 can exist.
if lo < first then
  for i = lo, math.min(first - 1, lo + slices - 1) do
    calls = calls - tonumber(redis.call('HGET', h, 'c:' .. i) or '0')
    fails = fails - tonumber(redis.call('HGET', h, 'f:' .. i) or '0')
    redis.call('HDEL', h, 'c:' .. i, 'f:' .. i)
  end
  lo = first
end

local reason, snap = nil, nil
local function flip(to, why)
  state, reason, snap = to, why, {consec, calls, fails}
end
for i = 10, #ARGV, 2 do
  local kind = ARGV[i]
  local at = math.min(tonumber(ARGV[i + 1]), now)
  local slice = math.floor(at / width)
  local inWindow = slice >= first
  if kind == 'success' then
    consec = 0
    if inWindow then
      redis.call('HINCRBY', h, 'c:' .. slice, 1)
      calls = calls + 1
    end
  elseif kind == 'transient' then
    consec = consec + 1
    if inWindow then
      redis.call('HINCRBY', h, 'c:' .. slice, 1)
      redis.call('HINCRBY', h, 'f:' .. slice, 1)
      calls, fails = calls + 1, fails + 1
    end
    if state ~= 'UNHEALTHY' then
      if consec >= threshold then
        flip('UNHEALTHY', 'consecutive_failures')
      elseif calls >= minCalls and fails * 1000000 >= ratioPpm * calls then
        flip('UNHEALTHY', 'failure_ratio')
      end
    end
  elseif kind == 'rate_limited' then
    -- DEGRADED until cooldownMs after the last 429; a 429 older than that says nothing now.
    local ends = at + cooldownMs
    if state ~= 'UNHEALTHY' and ends > now then
      if ends > untilMs then untilMs = ends end
      if state == 'HEALTHY' then
        redis.call('HINCRBY', h, 'episode', 1)
        flip('DEGRADED', 'rate_limited')
      end
    end
  elseif state ~= 'UNHEALTHY' then
    -- invalid_key, permission_denied, quota_exceeded: the key itself is bad.
    flip('UNHEALTHY', kind)
  end
end

redis.call('HSET', h, 'state', state, 'consec', int(consec), 'calls', int(calls), 'fails', int(fails), 'lo', int(lo), 'until', int(untilMs))
if state ~= start then setPending(start, state, reason, snap[1], snap[2], snap[3], now) end
keepFor(state, ARGV[8])
return {1, unpack(pending())}
`);

/**
 * KEYS: state hash. ARGV: episode, hash ttl ms. Ends a DEGRADED episode once its cooldown passed.
 * Returns {until ms (0 when nothing is left to wait for), pending...}.
 */
export const END_COOLDOWN = script(`
local state = redis.call('HGET', h, 'state') or 'HEALTHY'
if state == 'DEGRADED' and int(num('episode')) == ARGV[1] then
  local now = nowMs()
  local untilMs = num('until')
  if untilMs > now then return {int(untilMs), unpack(pending())} end
  redis.call('HSET', h, 'state', 'HEALTHY')
  setPending('DEGRADED', 'HEALTHY', 'cooldown_passed', num('consec'), num('calls'), num('fails'), now)
  keepFor('HEALTHY', ARGV[2])
end
return {0, unpack(pending())}
`);

/** KEYS: state hash. ARGV: p_id. Forgets a transition once it is written, unless a newer one replaced it. */
export const SETTLE = script(`
if redis.call('HGET', h, 'p_id') == ARGV[1] then
  redis.call('HDEL', h, 'p_id', 'p_from', 'p_to', 'p_reason', 'p_consec', 'p_calls', 'p_fails', 'p_at', 'p_episode', 'p_until')
end
return 1
`);

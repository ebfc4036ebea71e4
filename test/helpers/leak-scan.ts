import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { leakedSlices } from './leaks';

export interface Finding {
  readonly where: string;
  readonly slices: string[];
}

/**
 * Every column of every table, as text (bytea as printable bytes), searched for pieces of the
 * secret. Returns where they were found; an empty list means the database does not hold it.
 */
export async function scanDatabase(db: DataSource, secret: string, mask: string): Promise<Finding[]> {
  const columns = (await db.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  )) as { table_name: string; column_name: string; data_type: string }[];
  const findings: Finding[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    const expression = type === 'bytea' ? `encode("${column}", 'escape')` : `"${column}"::text`;
    const rows = (await db.query(`SELECT ${expression} AS value FROM "${table}" WHERE "${column}" IS NOT NULL`)) as { value: string }[];
    const text = rows.map((r) => r.value).join('\n');
    const slices = leakedSlices(text, secret, mask);
    if (slices.length) findings.push({ where: `${table}.${column}`, slices });
  }
  return findings;
}

/** Every Redis value under a prefix (strings, hashes, lists, sets, sorted sets, streams). */
export async function scanRedis(redis: Redis, prefix: string, secret: string, mask: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hgetall(key);
      else if (type === 'list') value = await redis.lrange(key, 0, -1);
      else if (type === 'set') value = await redis.smembers(key);
      else if (type === 'zset') value = await redis.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'stream') value = await redis.xrange(key, '-', '+');
      const slices = leakedSlices(`${key} ${JSON.stringify(value)}`, secret, mask);
      if (slices.length) findings.push({ where: `redis ${key}`, slices });
    }
  } while (cursor !== '0');
  return findings;
}

import cron from 'node-cron';
import { readFileSync, existsSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './config-schema.js';

export type { Config, PhoneConfig } from './config-schema.js';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_PATH = '/etc/cc/config.json';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v;
  }
  return out;
}

/** CC__DB__PASSWORD=x becomes { db: { password: 'x' } }; JSON values are parsed. */
export function envOverrides(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('CC__') || raw === undefined) continue;
    const path = name.slice(4).split('__').map(camelCase);
    let node = out;
    for (const part of path.slice(0, -1)) node = (node[part] = isObject(node[part]) ? node[part] : {}) as Json;
    node[path[path.length - 1] as string] = parseEnvValue(raw);
  }
  return out;
}

function camelCase(s: string): string {
  return s.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function parseEnvValue(raw: string): unknown {
  if (/^[[{]/.test(raw) || raw === 'true' || raw === 'false') {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Validates a raw object; every problem is named by its key path so an installer can fix it. */
export function validateConfig(raw: unknown): Config {
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, structuredClone(raw)));
  const seen = new Set<string>();
  const problems: string[] = [];
  // One message per key: TypeBox reports a missing key twice (required, wrong type).
  for (const e of Value.Errors(ConfigSchema, withDefaults)) {
    const key = e.path.replace(/^\//, '').replace(/\//g, '.') || '(root)';
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(`${key}: ${e.message}`);
  }
  // A schedule node-cron cannot read would otherwise only fail when the jobs start.
  const jobs = (withDefaults as Partial<Config>).jobs;
  for (const key of ['cdrReconcileCron', 'retentionCron'] as const) {
    if (jobs && typeof jobs[key] === 'string' && !cron.validate(jobs[key])) problems.push(`jobs.${key}: not a cron expression (${jobs[key]})`);
  }
  if (problems.length) throw new ConfigError(problems);
  return withDefaults as Config;
}

/** The one place the process environment is read. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const path = env.CC_CONFIG ?? DEFAULT_CONFIG_PATH;
  let fileValues: Json = {};
  if (existsSync(path)) {
    try {
      fileValues = JSON.parse(readFileSync(path, 'utf8')) as Json;
    } catch (err) {
      throw new ConfigError([`${path}: not valid JSON (${(err as Error).message})`]);
    }
  } else if (env.CC_CONFIG) {
    throw new ConfigError([`${path}: file not found (CC_CONFIG)`]);
  }
  return validateConfig(deepMerge(fileValues, envOverrides(env)));
}

/** Host path of a file Asterisk names by its own (possibly chrooted) path. */
export function asteriskHostPath(config: Config, asteriskPath: string): string {
  return config.asterisk.root ? `${config.asterisk.root.replace(/\/$/, '')}${asteriskPath}` : asteriskPath;
}

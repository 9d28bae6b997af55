import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parse } from 'yaml';
import { AppConfig, CONFIG_KEYS, ConfigKind, DEVELOPMENT_SECRETS, SECRET_KEYS } from './app-config';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function envNameOf(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function readYaml(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const parsed: unknown = parse(readFileSync(file, 'utf8'));
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([`${file}: expected a mapping of keys to values`]);
  }
  return parsed as Record<string, unknown>;
}

/** Reads an environment string as its key's kind; a string that is not one is kept so validation names it. */
function coerce(kind: ConfigKind, value: string): unknown {
  if (kind === 'int' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  if (kind === 'number' && /^-?(\d+\.?\d*|\.\d+)$/.test(value.trim())) return Number(value.trim());
  if (kind === 'bool' && /^(true|1)$/i.test(value.trim())) return true;
  if (kind === 'bool' && /^(false|0)$/i.test(value.trim())) return false;
  return value;
}

function describe(error: ValidationError, raw: Record<string, unknown>): string {
  const reasons = Object.values(error.constraints ?? {}).join('; ');
  const shown = (SECRET_KEYS as string[]).includes(error.property) ? '(hidden)' : JSON.stringify(raw[error.property]);
  return `${envNameOf(error.property)} (${error.property}): ${reasons}; got ${shown}`;
}

/** The settings the chosen SMS provider cannot work without, named when missing. */
function smsProviderProblems(config: AppConfig): string[] {
  if (config.smsProvider !== 'aliyun') return [];
  const needed = [
    'smsAliyunAccessKeyId',
    'smsAliyunAccessKeySecret',
    'smsAliyunSignName',
    'smsAliyunTemplateCode',
    'smsAliyunPhoneChangeTemplateCode',
    'smsAliyunClosingTemplateCode',
  ] as const;
  return needed
    .filter((key) => !config[key])
    .map((key) => `${envNameOf(key)} (${key}): required when SMS_PROVIDER is aliyun`);
}

/** https, or http to this machine only (a local stand-in or forwarder): codes never cross a network in the clear. */
function sendsOverTls(endpoint: string): boolean {
  if (!URL.canParse(endpoint)) return true; // named by the key's own validation
  const { protocol, hostname } = new URL(endpoint);
  return protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  configDir?: string;
}

/**
 * Reads defaults from YAML, overrides them from the environment and validates the result.
 * Throws ConfigError naming every bad key; entry points stop the process on it.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const dir = resolve(options.configDir ?? env.CONFIG_DIR ?? join(process.cwd(), 'config'));
  const defaults = readYaml(join(dir, 'default.yaml'));
  const nodeEnv = String(env.NODE_ENV ?? defaults.nodeEnv ?? 'development');
  const raw: Record<string, unknown> = { ...defaults, ...readYaml(join(dir, `${nodeEnv}.yaml`)), nodeEnv };

  const problems: string[] = [];
  for (const key of SECRET_KEYS) {
    if (key in raw) problems.push(`${key}: a secret may not be set in a config file; use ${envNameOf(key)}`);
    delete raw[key];
  }
  for (const key of Object.keys(raw)) {
    if (!(key in CONFIG_KEYS)) problems.push(`${key}: not a configuration key`);
  }
  for (const [key, kind] of Object.entries(CONFIG_KEYS)) {
    const value = env[envNameOf(key)];
    if (value !== undefined && value !== '') raw[key] = coerce(kind, value);
  }
  for (const [key, secret] of Object.entries(DEVELOPMENT_SECRETS)) {
    if (raw[key] === undefined && nodeEnv !== 'production') raw[key] = secret;
  }

  const config = plainToInstance(AppConfig, raw);
  problems.push(...validateSync(config).map((error) => describe(error, raw)));
  if (config.httpHeadersTimeoutMs > config.httpRequestTimeoutMs) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS (httpHeadersTimeoutMs): may not be longer than HTTP_REQUEST_TIMEOUT_MS, which includes the headers');
  }
  problems.push(...smsProviderProblems(config));
  if (nodeEnv === 'production') {
    for (const [key, secret] of Object.entries(DEVELOPMENT_SECRETS)) {
      if (raw[key] === secret) problems.push(`${envNameOf(key)} (${key}): the development secret may not be used in production`);
    }
    if (config.devOtpEcho) problems.push('DEV_OTP_ECHO (devOtpEcho): one-time codes may never be echoed in production');
    if (config.smsProvider === 'aliyun' && !sendsOverTls(config.smsAliyunEndpoint)) {
      problems.push('SMS_ALIYUN_ENDPOINT (smsAliyunEndpoint): must be https in production (each request carries a number and its code)');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

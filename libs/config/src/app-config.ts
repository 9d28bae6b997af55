import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** log: development and tests only (codes go to the log); aliyun: Alibaba Cloud SMS (dysmsapi). */
export const SMS_PROVIDERS = ['log', 'aliyun'] as const;

/**
 * The whole configuration, read once at start-up: defaults from config/default.yaml (and
 * config/<nodeEnv>.yaml when present), then environment variables. Each key's variable is
 * its name in SCREAMING_SNAKE_CASE (issuancePort ← ISSUANCE_PORT). Secrets come only from
 * the environment.
 */
export class AppConfig {
  /** development | test | production; production refuses the built-in development secrets. */
  @IsIn(NODE_ENVS)
  nodeEnv: (typeof NODE_ENVS)[number];

  /** The address the HTTP apps listen on: 127.0.0.1, or 0.0.0.0 (every interface) in a container. */
  @Matches(/^[A-Za-z0-9.:-]{1,253}$/)
  host: string;

  @IsInt()
  @Min(1)
  @Max(65535)
  issuancePort: number;

  @IsInt()
  @Min(1)
  @Max(65535)
  merchantPort: number;

  @IsInt()
  @Min(1)
  @Max(65535)
  redemptionPort: number;

  @IsInt()
  @Min(1)
  @Max(65535)
  settlementPort: number;

  /**
   * The settlement worker's own port: /health and /metrics only (it serves no API). 0: any free
   * port, named in the worker's start-up log (tests and benchmarks, which start several workers).
   */
  @IsInt()
  @Min(0)
  @Max(65535)
  settlementWorkerPort: number;

  /** Postgres connection string, e.g. postgres://user@host:5432/db. */
  @Matches(/^postgres(ql)?:\/\/\S+$/)
  databaseUrl: string;

  /** Run pending migrations (under an advisory lock) when an app starts. */
  @IsBoolean()
  dbMigrateOnStart: boolean;

  /**
   * The load balancers in front, as comma-separated addresses or CIDRs: a request from one of
   * them is taken to come from the address its X-Forwarded-For names, for the per-address
   * limits. Empty: the socket's address counts (without this, behind a balancer every request
   * would share the balancer's address and its limits).
   */
  @Matches(/^[0-9A-Fa-f.:/, ]*$/)
  trustProxy: string;

  /**
   * Redis connection string: redis://127.0.0.1:6379 for one Redis, or
   * redis-cluster://host1:port1,host2:port2 (seed nodes, any of the cluster's) for a Redis Cluster.
   */
  @Matches(/^(rediss?|rediss?-cluster):\/\/\S+$/)
  redisUrl: string;

  /** Prefix of every Redis key this deployment writes (BullMQ included); keeps test runs apart. */
  @Matches(/^[A-Za-z0-9_.:-]{0,64}$/)
  redisKeyPrefix: string;

  /** Secret that signs access tokens (HS256). Environment only; at least 32 characters. */
  @IsString()
  @MinLength(32)
  jwtSecret: string;

  @IsInt()
  @Min(30)
  @Max(86_400)
  accessTokenTtlSeconds: number;

  /** Lifetime of a resident's refresh token (revocable, kept hashed in Postgres); each refresh starts it again. */
  @IsInt()
  @Min(3600)
  @Max(90 * 86_400)
  refreshTokenTtlSeconds: number;

  /** Lifetime of a merchant staff member's session, counted from sign-in (a shift): refreshing does not extend it. */
  @IsInt()
  @Min(3600)
  @Max(86_400)
  staffSessionTtlSeconds: number;

  /** Lifetime of an official's session, counted from sign-in (a working day): refreshing does not extend it. */
  @IsInt()
  @Min(3600)
  @Max(86_400)
  officialSessionTtlSeconds: number;

  /** Development only: return one-time codes in the response so the demo and tests can sign in. */
  @IsBoolean()
  devOtpEcho: boolean;

  /**
   * Who delivers one-time codes. An app that sends them (issuance, merchant) refuses to start in
   * production with `log`, which only writes codes to the log.
   */
  @IsIn(SMS_PROVIDERS)
  smsProvider: (typeof SMS_PROVIDERS)[number];

  /** AccessKey id of the RAM user that may call dysmsapi SendSms. Environment only; required with smsProvider aliyun. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{1,128}$/)
  smsAliyunAccessKeyId?: string;

  /** Its AccessKey secret, which signs each request. Environment only; required with smsProvider aliyun. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  smsAliyunAccessKeySecret?: string;

  /** The approved signature (签名) shown at the head of each message, e.g. 宁波消费券. Required with smsProvider aliyun. */
  @IsString()
  @MaxLength(64)
  smsAliyunSignName: string;

  /** The approved template of the sign-in message (SMS_...); it must hold the variable ${code}. Required with smsProvider aliyun. */
  @Matches(/^[A-Za-z0-9_]{0,64}$/)
  smsAliyunTemplateCode: string;

  /**
   * The approved template of the code that moves a resident's account to a new number (SMS_...,
   * holding ${code}), saying so: "您正在将消费券账户换绑到本号码，验证码${code}…". Required with smsProvider aliyun.
   */
  @Matches(/^[A-Za-z0-9_]{0,64}$/)
  smsAliyunPhoneChangeTemplateCode: string;

  /**
   * The approved template of the code that closes a resident's account (SMS_..., holding ${code}),
   * saying so: "您正在注销消费券账户，验证码${code}…". Required with smsProvider aliyun.
   */
  @Matches(/^[A-Za-z0-9_]{0,64}$/)
  smsAliyunClosingTemplateCode: string;

  /**
   * The approved template of the voucher expiry reminder (SMS_...), holding ${count} (how many
   * vouchers) and ${date} (the earliest expiry, e.g. 12月9日): "您有${count}张消费券将于${date}到期，请尽快使用".
   * Optional: with smsProvider aliyun and none, the settlement worker sends no reminder (and says so in its log).
   */
  @Matches(/^[A-Za-z0-9_]{0,64}$/)
  smsAliyunExpiryTemplateCode: string;

  /**
   * The approved template of the news of a lottery round won (SMS_...), holding ${count} (vouchers
   * won) and ${date} (the earliest of their expiries, e.g. 12月9日): "恭喜您在消费券摇号中中签，
   * ${count}张券已发到您的账户，请于${date}前使用". Optional: with smsProvider aliyun and none, the
   * settlement worker sends no such news (and says so in its log).
   */
  @Matches(/^[A-Za-z0-9_]{0,64}$/)
  smsAliyunLotteryWonTemplateCode: string;

  /** Origin of the SMS API: the provider's own, or (tests) a stand-in. */
  @Matches(/^https?:\/\/[A-Za-z0-9.:[\]-]+\/?$/, { message: '$property must be an http(s) origin with no path' })
  smsAliyunEndpoint: string;

  /** The longest one SendSms call may take; past it the sign-in is answered 503 (the message may still arrive). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  smsAliyunTimeoutMs: number;

  /** Key of the HMAC that stores resident ID numbers as a hash. Environment only; at least 32 characters. */
  @IsString()
  @MinLength(32)
  idNumberHashKey: string;

  /** Key (any string ≥ 32 characters) from which merchants' bank account numbers are encrypted. Environment only. */
  @IsString()
  @MinLength(32)
  bankAccountKey: string;

  /** Key of the HMAC that signs residents' checkout codes (issuance signs, redemption checks). Environment only. */
  @IsString()
  @MinLength(32)
  voucherCodeKey: string;

  /** Group commit of claims: the longest a claim waits for others to share its INSERT. */
  @IsInt()
  @Min(0)
  @Max(1000)
  claimFlushMs: number;

  /** Grabs one person may send to one process in 10 seconds before getting 429 (DESIGN §10); 0 turns the limit off. */
  @IsInt()
  @Min(0)
  @Max(10_000)
  grabLimitPerPerson: number;

  /** Group commit of claims: the most rows in one INSERT. */
  @IsInt()
  @Min(1)
  @Max(5000)
  claimBatchMax: number;

  /*
   * The grab's timing budget (apps/issuance/src/claims/grab-timing.ts, ADMISSION.md): a claim
   * commits or fails within claimQueueDeadlineMs + claimPoolWaitMs + claimStatementTimeoutMs of
   * its grab, and the issuance app refuses to start unless that is less than claimSweepAfterMs.
   */

  /** The longest a claim waits for its batch to be sent; past it the grab is answered 503 and its reservation given back. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  claimQueueDeadlineMs: number;

  /** The longest a batch of claims waits for one of the writer's Postgres connections. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  claimPoolWaitMs: number;

  /** Statement and lock timeout of the claim writer's Postgres sessions. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  claimStatementTimeoutMs: number;

  /** A reservation older than this whose row is not in Postgres is given back by the sweeper, whoever made it. */
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  claimSweepAfterMs: number;

  /**
   * The longest a BullMQ job of a worker that died waits before another worker takes it: the
   * job's lock (renewed while the job runs) lasts three quarters of it and the stalled check
   * runs every quarter (apps/settlement/src/jobs/recovery-timing.ts says why the sum is the bound).
   */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  jobLockMs: number;

  /** A settlement build works in chunks of this many merchant ids, each one transaction and one job. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  settlementChunkMerchants: number;

  /** The voucher expiry job works in chunks of this many voucher ids, each one transaction. */
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  expiryChunkVouchers: number;

  /** The daily expiry reminder names the resident's usable vouchers expiring within this many hours. */
  @IsInt()
  @Min(1)
  @Max(240)
  expiryReminderLeadHours: number;

  /** Reminders each settlement worker sends at most a second, so that a run does not flood the SMS gateway. */
  @IsInt()
  @Min(1)
  @Max(1000)
  expiryReminderSendsPerSecond: number;

  /** The reminder job reads the notices to send in pages of this many (keyset by id). */
  @IsInt()
  @Min(1)
  @Max(100_000)
  expiryReminderChunkNotices: number;

  /**
   * How often each issuance process looks for value to return to the pool (回流: expired
   * vouchers of finished expiry runs, stock left in closed rounds); 0: never (tests call the job).
   */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  poolReturnEveryMs: number;

  /**
   * A round's unclaimed stock is returned this long after it closed: time enough for every grab
   * it admitted before closing to reach Postgres (a claim's longest wait is far below it).
   */
  @IsInt()
  @Min(60_000)
  @Max(86_400_000)
  poolReturnGraceMs: number;

  /**
   * The program's first business day (Asia/Shanghai), the day its first campaign started: no
   * settlement batch is opened for a day before it. Configured rather than read from the
   * campaigns, so that a campaign created, back-dated or deleted later cannot move it.
   */
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: '$property must be a day that exists' })
  programStartDate: string;

  /**
   * How many days back a settlement batch may still be opened (yesterday is 1): an older day
   * was settled by the nightly job, or is a mistake; a batch for it would take over every
   * merchant's held and failed lines under a wrong date.
   */
  @IsInt()
  @Min(1)
  @Max(36_500)
  settlementMaxDaysBack: number;

  /** HTTP worker processes per app (node:cluster, sharing the port); 1 runs the app in the main process. */
  @IsInt()
  @Min(1)
  @Max(64)
  httpWorkers: number;

  /**
   * How long a client may take to send a request's headers (408 REQUEST_TIMEOUT past it, the
   * connection closed). At most httpRequestTimeoutMs.
   */
  @IsInt()
  @Min(100)
  @Max(600_000)
  httpHeadersTimeoutMs: number;

  /**
   * How long a client may take to send a whole request, headers and body (408 past it). Raw
   * routes included. A streamed upload (the officials' CSV files) must arrive within it, its
   * processing included, since the upload is read as fast as it is processed.
   */
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  httpRequestTimeoutMs: number;

  /**
   * How long a kept-alive connection may stay idle between requests. Above the idle timeout of
   * the balancer in front (60 s on common ones), so the balancer, not the app, closes idle
   * connections: otherwise a request it sends as the app closes fails (502).
   */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  httpKeepAliveTimeoutMs: number;

  @IsIn(LOG_LEVELS)
  logLevel: (typeof LOG_LEVELS)[number];

  /**
   * The share (0 to 1) of successful grabs and lottery sign-ups (status below 400) that write an
   * access line: under a rush a line per request is a cost. 1 logs every one, 0 none; one that
   * fails is always logged, and so is every other request (the money moves among them).
   */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  accessLogSampleGrabs: number;

  /** The program's annual budget in fen (default 10亿元 = 100,000,000,000 fen). */
  @IsInt()
  @Min(0)
  annualBudgetFen: number;

  /**
   * The city's share, in basis points, of the subsidy of a campaign a district official
   * creates (the district pays the rest). It is the city's to set: a district official may
   * not name a share, only a city-wide official may give a campaign another one. 5000 is
   * 2023's half-and-half.
   */
  @IsInt()
  @Min(0)
  @Max(10_000)
  districtCampaignCityShareBp: number;
}

/** Keys that may only come from the environment, never from a checked-in file. */
export const SECRET_KEYS: ReadonlyArray<keyof AppConfig> = [
  'jwtSecret',
  'idNumberHashKey',
  'bankAccountKey',
  'voucherCodeKey',
  'smsAliyunAccessKeyId',
  'smsAliyunAccessKeySecret',
];

/** Used only outside production when the variable is unset, so the demo runs with no setup. */
export const DEVELOPMENT_SECRETS: Partial<Record<keyof AppConfig, string>> = {
  jwtSecret: 'development-only-secret-do-not-use-in-production',
  idNumberHashKey: 'development-only-id-number-key-do-not-use-in-production',
  bankAccountKey: 'development-only-bank-account-key-do-not-use-in-production',
  voucherCodeKey: 'development-only-voucher-code-key-do-not-use-in-production',
};

export const DEVELOPMENT_JWT_SECRET = DEVELOPMENT_SECRETS.jwtSecret as string;

export type ConfigKind = 'int' | 'number' | 'bool' | 'string';

/** Every key and how an environment string is read for it; the compiler keeps it complete. */
export const CONFIG_KEYS = {
  nodeEnv: 'string',
  host: 'string',
  issuancePort: 'int',
  merchantPort: 'int',
  redemptionPort: 'int',
  settlementPort: 'int',
  settlementWorkerPort: 'int',
  databaseUrl: 'string',
  dbMigrateOnStart: 'bool',
  trustProxy: 'string',
  redisUrl: 'string',
  redisKeyPrefix: 'string',
  jwtSecret: 'string',
  accessTokenTtlSeconds: 'int',
  refreshTokenTtlSeconds: 'int',
  staffSessionTtlSeconds: 'int',
  officialSessionTtlSeconds: 'int',
  devOtpEcho: 'bool',
  smsProvider: 'string',
  smsAliyunAccessKeyId: 'string',
  smsAliyunAccessKeySecret: 'string',
  smsAliyunSignName: 'string',
  smsAliyunTemplateCode: 'string',
  smsAliyunPhoneChangeTemplateCode: 'string',
  smsAliyunClosingTemplateCode: 'string',
  smsAliyunExpiryTemplateCode: 'string',
  smsAliyunLotteryWonTemplateCode: 'string',
  smsAliyunEndpoint: 'string',
  smsAliyunTimeoutMs: 'int',
  idNumberHashKey: 'string',
  bankAccountKey: 'string',
  voucherCodeKey: 'string',
  claimFlushMs: 'int',
  claimBatchMax: 'int',
  claimQueueDeadlineMs: 'int',
  claimPoolWaitMs: 'int',
  claimStatementTimeoutMs: 'int',
  claimSweepAfterMs: 'int',
  grabLimitPerPerson: 'int',
  httpWorkers: 'int',
  httpHeadersTimeoutMs: 'int',
  httpRequestTimeoutMs: 'int',
  httpKeepAliveTimeoutMs: 'int',
  jobLockMs: 'int',
  settlementChunkMerchants: 'int',
  expiryChunkVouchers: 'int',
  expiryReminderLeadHours: 'int',
  expiryReminderSendsPerSecond: 'int',
  expiryReminderChunkNotices: 'int',
  poolReturnEveryMs: 'int',
  poolReturnGraceMs: 'int',
  programStartDate: 'string',
  settlementMaxDaysBack: 'int',
  logLevel: 'string',
  accessLogSampleGrabs: 'number',
  annualBudgetFen: 'int',
  districtCampaignCityShareBp: 'int',
} as const satisfies Record<keyof AppConfig, ConfigKind>;

/**
 * @module core/config
 * Keel's configuration: `keel.yaml` (or the file named by `--config` / `KEEL_CONFIG`), then
 * `KEEL_*` environment variables, then command-line flags — each later source overriding the
 * earlier. Everything is validated by one zod schema; a bad value names its path and its source.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { issuesFromZod, KeelError } from './errors.js';
import { providerConfigSchema } from './provider-config.js';

export { type ProviderConfig, providerApiKey, providerConfigSchema } from './provider-config.js';

/**
 * Common places of single fonts with Hangul glyphs (Debian/Ubuntu fonts-nanum, Noto Sans KR and
 * Noto Sans CJK KR as OTF, Un and Baekmuk fonts; macOS and Windows). Font collections (.ttc, as
 * Debian's fonts-noto-cjk ships) cannot be embedded and are not listed.
 */
export const defaultFactsheetFontPaths: readonly string[] = [
  '/usr/share/fonts/truetype/nanum/NanumGothic.ttf',
  '/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf',
  '/usr/share/fonts/truetype/nanum/NanumMyeongjo.ttf',
  '/usr/share/fonts/nanum/NanumGothic.ttf',
  '/usr/share/fonts/naver-nanum/NanumGothic.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansKR-Regular.otf',
  '/usr/share/fonts/truetype/noto/NotoSansKR-Regular.ttf',
  '/usr/share/fonts/opentype/noto/NotoSansCJKkr-Regular.otf',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJKkr-Regular.otf',
  '/usr/share/fonts/noto-cjk/NotoSansCJKkr-Regular.otf',
  '/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf',
  '/usr/share/fonts/truetype/baekmuk/gulim.ttf',
  '/usr/local/share/fonts/NanumGothic.ttf',
  '/Library/Fonts/NanumGothic.ttf',
  '/Library/Fonts/NotoSansKR-Regular.otf',
  'C:\\Windows\\Fonts\\malgun.ttf',
];

export const configSchema = z.strictObject({
  dataDir: z.string().min(1).default('.keel'),
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(4141),
      /** Largest accepted request body, bytes. */
      bodyLimit: z
        .number()
        .int()
        .positive()
        .default(10 * 1024 * 1024),
      /** Origins allowed to call the API from a browser (the console is same-origin). */
      corsOrigins: z.array(z.string()).default([]),
    })
    .prefault({}),
  database: z
    .strictObject({
      /** PostgreSQL connection string; when absent Keel uses PGlite in the data directory. */
      url: z.string().min(1).optional(),
    })
    .prefault({}),
  /** Creates this admin key on first start (automation); otherwise one is generated and printed. */
  bootstrapKey: z.string().min(24, 'must be at least 24 characters').optional(),
  /**
   * Key for data sealed at rest (pseudonym mappings) and span hashes. Set it (KEEL_SECRET_KEY) when
   * several servers share one database; otherwise one is generated in the data directory.
   */
  secretKey: z.string().min(16, 'must be at least 16 characters').optional(),
  providers: z.array(providerConfigSchema).default([]),
  llamacpp: z
    .strictObject({
      /** CPU threads per context; 0 lets llama.cpp decide. */
      threads: z.number().int().min(0).default(0),
      gpu: z.enum(['auto', 'off']).default('off'),
      contextSize: z.number().int().min(128).default(4096),
      /** Unload a model after this many idle seconds. */
      idleUnloadSeconds: z.number().int().min(1).default(300),
      maxLoadedModels: z.number().int().min(1).default(2),
      /** Sequences per context: parallel generations on one model. */
      sequences: z.number().int().min(1).max(64).default(1),
    })
    .prefault({}),
  audit: z
    .strictObject({
      /** How long a change record may wait in memory before it is written (what a kill -9 can lose). */
      flushIntervalMs: z.number().int().min(1).max(10_000).default(50),
      /**
       * How long an access record (each data query's) may wait when no change comes sooner: under
       * a stream of queries, one write per this interval instead of one per `flushIntervalMs`.
       */
      accessFlushIntervalMs: z.number().int().min(1).max(10_000).default(1000),
      maxBatch: z.number().int().min(1).max(2000).default(500),
      /**
       * Signs each record's hash (HMAC-SHA256) so a chain rebuilt by someone with database access
       * but not this key fails verification. Keep it outside the database (KEEL_AUDIT_SIGNING_KEY).
       */
      signingKey: z.string().min(32, 'must be at least 32 characters').optional(),
    })
    .prefault({}),
  usage: z
    .strictObject({
      flushIntervalMs: z.number().int().min(10).default(1000),
      maxBatch: z.number().int().min(1).default(500),
    })
    .prefault({}),
  jobs: z
    .strictObject({
      /** How long a claimed job holds without a heartbeat: a replica killed mid-job loses it after this. */
      leaseMs: z.number().int().min(1000).max(600_000).default(30_000),
    })
    .prefault({}),
  guardrails: z
    .strictObject({
      /**
       * A token-classification model directory (config.json, tokenizer.json, onnx/model.onnx) to find
       * person, organisation and location names beside the rules. Optional; nothing is downloaded.
       */
      nerModel: z.string().min(1).optional(),
      /** A text-classification model directory scoring sentences for hate, abuse and profanity. Optional. */
      hapModel: z.string().min(1).optional(),
    })
    .prefault({}),
  evals: z
    .strictObject({
      /**
       * A folder of public datasets (one sub-folder per set, e.g. `injection-bipia`): red-team
       * probe sets found there are selectable by name. Unset: only Keel's own probes.
       */
      datasetsDir: z.string().min(1).optional(),
    })
    .prefault({}),
  factsheets: z
    .strictObject({
      /** A TrueType/OpenType font with Hangul for PDF exports (KEEL_FACTSHEET_FONT); tried first. */
      font: z.string().min(1).optional(),
      /** Where to look for a font with Hangul when `font` is unset or lacks it; the first with Hangul wins. */
      fontSearchPaths: z.array(z.string().min(1)).default(() => [...defaultFactsheetFontPaths]),
    })
    .prefault({}),
  data: z
    .strictObject({
      /** Local folders whose files may be added as data sources by path (none: uploads only). */
      localRoots: z.array(z.string().min(1)).default([]),
      /** DuckDB extensions to load from (`<dir>/v<version>/<platform>/sqlite_scanner.duckdb_extension`); none offline. */
      extensionDirectory: z.string().min(1).optional(),
      /**
       * A Trino endpoint for projects that outgrow the embedded engine: each project named in
       * `projects` reads the tables of its own schema there (project id → schema of `catalog`).
       */
      trino: z
        .strictObject({
          server: z.url(),
          user: z.string().min(1),
          /** Basic authentication (over https); none: the user header only. */
          password: z.string().min(1).optional(),
          catalog: z.string().min(1),
          projects: z.record(z.string().min(1), z.string().min(1)),
        })
        .optional(),
    })
    .prefault({}),
  monitoring: z
    .strictObject({
      /**
       * Share of model calls the monitoring request log keeps (0–1): calls served by a deployment,
       * and plain model calls of projects with a project-wide monitor. Others are never logged.
       */
      sampleRate: z.number().min(0).max(1).default(1),
    })
    .prefault({}),
  forecast: z
    .strictObject({
      /**
       * A watsonx-compatible upstream (e.g. `https://us-south.ml.cloud.ibm.com`) that forecasting
       * models Keel does not embed are forwarded to. Unset: the embedded forecasters only.
       */
      url: z.url().optional(),
      /** Bearer token sent to it (prefer KEEL_FORECAST_TOKEN: tokens in files leak). */
      token: z.string().min(1).optional(),
    })
    .prefault({}),
  files: z
    .strictObject({
      /**
       * Where project files live (the documents text extraction and classification read, and
       * their results): `folder`, `<dataDir>/files/<project>/` (default), or `s3`, an
       * S3-compatible bucket (`files.s3`).
       */
      storage: z.enum(['folder', 's3']).default('folder'),
      s3: z
        .strictObject({
          /** The server's base URL (MinIO, Ceph, IBM COS …); unset means AWS S3 itself. */
          endpoint: z.url().optional(),
          bucket: z
            .string()
            .regex(
              /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
              'an S3 bucket name: 3–63 lowercase letters, digits, dots, dashes',
            ),
          region: z.string().min(1).default('us-east-1'),
          /** Prepended to every object key (default `files/`). */
          prefix: z.string().max(200).default('files/'),
          /** Path-style URLs (`<endpoint>/<bucket>/<key>`), which most S3-compatible servers want. */
          forcePathStyle: z.boolean().default(true),
          /** Prefer KEEL_S3_ACCESS_KEY_ID / KEEL_S3_SECRET_ACCESS_KEY: keys in files leak. */
          accessKeyId: z.string().min(1).optional(),
          secretAccessKey: z.string().min(1).optional(),
          sessionToken: z.string().min(1).optional(),
        })
        .optional(),
    })
    .superRefine((value, context) => {
      if (value.storage !== 's3') return;
      if (!value.s3) {
        context.addIssue({
          code: 'custom',
          path: ['s3'],
          message: 'storage: s3 needs files.s3 (bucket, credentials)',
        });
        return;
      }
      for (const key of ['accessKeyId', 'secretAccessKey'] as const)
        if (!value.s3[key])
          context.addIssue({
            code: 'custom',
            path: ['s3', key],
            message: `storage: s3 needs ${key} (KEEL_S3_${key === 'accessKeyId' ? 'ACCESS_KEY_ID' : 'SECRET_ACCESS_KEY'})`,
          });
    })
    .prefault({}),
  security: z
    .strictObject({
      /** Allow outbound fetches of user-supplied URLs to private and loopback addresses. */
      allowPrivateNetworkFetch: z.boolean().default(false),
    })
    .prefault({}),
  tracing: z
    .strictObject({
      /**
       * OTLP/HTTP collector base URL (e.g. `http://127.0.0.1:4318`); spans go to `<url>/v1/traces`.
       * Tracing is off when unset.
       */
      otlpEndpoint: z.url().optional(),
      /** Service name on exported spans. */
      serviceName: z.string().min(1).default('keel'),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
});

export type KeelConfig = z.infer<typeof configSchema>;
export type KeelConfigInput = z.input<typeof configSchema>;

/** Environment variables Keel reads, and the config path each sets. */
export const environmentVariables: Record<
  string,
  { path: string[]; type: 'string' | 'int' | 'number' | 'bool' }
> = {
  KEEL_DATA_DIR: { path: ['dataDir'], type: 'string' },
  KEEL_HOST: { path: ['server', 'host'], type: 'string' },
  KEEL_PORT: { path: ['server', 'port'], type: 'int' },
  KEEL_BODY_LIMIT: { path: ['server', 'bodyLimit'], type: 'int' },
  KEEL_DATABASE_URL: { path: ['database', 'url'], type: 'string' },
  KEEL_BOOTSTRAP_KEY: { path: ['bootstrapKey'], type: 'string' },
  KEEL_SECRET_KEY: { path: ['secretKey'], type: 'string' },
  KEEL_JOB_LEASE_MS: { path: ['jobs', 'leaseMs'], type: 'int' },
  KEEL_AUDIT_SIGNING_KEY: { path: ['audit', 'signingKey'], type: 'string' },
  KEEL_GUARDRAILS_NER_MODEL: { path: ['guardrails', 'nerModel'], type: 'string' },
  KEEL_GUARDRAILS_HAP_MODEL: { path: ['guardrails', 'hapModel'], type: 'string' },
  KEEL_LLAMACPP_THREADS: { path: ['llamacpp', 'threads'], type: 'int' },
  KEEL_LLAMACPP_GPU: { path: ['llamacpp', 'gpu'], type: 'string' },
  KEEL_LLAMACPP_CONTEXT_SIZE: { path: ['llamacpp', 'contextSize'], type: 'int' },
  KEEL_FACTSHEET_FONT: { path: ['factsheets', 'font'], type: 'string' },
  KEEL_MONITOR_SAMPLE_RATE: { path: ['monitoring', 'sampleRate'], type: 'number' },
  KEEL_FORECAST_URL: { path: ['forecast', 'url'], type: 'string' },
  KEEL_FORECAST_TOKEN: { path: ['forecast', 'token'], type: 'string' },
  KEEL_FILES_STORAGE: { path: ['files', 'storage'], type: 'string' },
  KEEL_S3_ENDPOINT: { path: ['files', 's3', 'endpoint'], type: 'string' },
  KEEL_S3_BUCKET: { path: ['files', 's3', 'bucket'], type: 'string' },
  KEEL_S3_REGION: { path: ['files', 's3', 'region'], type: 'string' },
  KEEL_S3_ACCESS_KEY_ID: { path: ['files', 's3', 'accessKeyId'], type: 'string' },
  KEEL_S3_SECRET_ACCESS_KEY: { path: ['files', 's3', 'secretAccessKey'], type: 'string' },
  KEEL_S3_SESSION_TOKEN: { path: ['files', 's3', 'sessionToken'], type: 'string' },
  KEEL_ALLOW_PRIVATE_NETWORK_FETCH: { path: ['security', 'allowPrivateNetworkFetch'], type: 'bool' },
  KEEL_LOG_LEVEL: { path: ['logging', 'level'], type: 'string' },
  KEEL_DATASETS: { path: ['evals', 'datasetsDir'], type: 'string' },
  KEEL_OTLP_ENDPOINT: { path: ['tracing', 'otlpEndpoint'], type: 'string' },
};

export interface LoadConfigOptions {
  /** Explicit config file; otherwise `KEEL_CONFIG`, then `./keel.yaml` when present. */
  configFile?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags, already shaped like the config. */
  overrides?: KeelConfigInput;
  cwd?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): KeelConfig & { configFile: string | undefined } {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.configFile ?? env.KEEL_CONFIG;
  const candidate = explicit ?? path.join(cwd, 'keel.yaml');
  let fromFile: Record<string, unknown> = {};
  let configFile: string | undefined;
  if (existsSync(candidate)) {
    configFile = path.resolve(cwd, candidate);
    fromFile = readYamlConfig(configFile);
  } else if (explicit) {
    throw new KeelError('invalid_config', `Config file not found: ${explicit}`);
  }
  const merged = deepMerge(
    deepMerge(fromFile, fromEnvironment(env)),
    (options.overrides ?? {}) as Record<string, unknown>,
  );
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues);
    const lines = issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}${sourceHint(issue.path)}`,
    );
    throw new KeelError('invalid_config', `Invalid configuration:\n${lines.join('\n')}`, { issues });
  }
  const config = parsed.data;
  config.dataDir = path.resolve(cwd, config.dataDir);
  if (config.evals.datasetsDir) config.evals.datasetsDir = path.resolve(cwd, config.evals.datasetsDir);
  return { ...config, configFile };
}

function readYamlConfig(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KeelError('invalid_config', `Cannot parse ${file}: ${(error as Error).message}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new KeelError('invalid_config', `${file} must hold a mapping of settings at its top level.`);
  }
  return value as Record<string, unknown>;
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(environmentVariables)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (spec.type === 'int') value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (spec.type === 'number') value = raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    if (spec.type === 'bool')
      value = /^(1|true|yes|on)$/i.test(raw) ? true : /^(0|false|no|off)$/i.test(raw) ? false : raw;
    setPath(result, spec.path, value);
  }
  return result;
}

function sourceHint(issuePath: (string | number)[]): string {
  const joined = issuePath.join('.');
  const variable = Object.entries(environmentVariables).find(
    ([, spec]) => spec.path.join('.') === joined,
  )?.[0];
  return variable ? ` (keel.yaml or ${variable})` : '';
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  keys.forEach((key, index) => {
    if (index === keys.length - 1) node[key] = value;
    else {
      node[key] = (node[key] as Record<string, unknown> | undefined) ?? {};
      node = node[key] as Record<string, unknown>;
    }
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    result[key] =
      isPlainObject(value) && isPlainObject(result[key])
        ? deepMerge(result[key] as Record<string, unknown>, value)
        : value;
  }
  return result;
}

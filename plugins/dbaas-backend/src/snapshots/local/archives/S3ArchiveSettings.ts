import { S3Client } from '@aws-sdk/client-s3';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

const KEY = 'dbaas.snapshots.local.s3';
const MIB = 1024 * 1024;
const SSE_MODES = ['AES256', 'aws:kms'] as const;

/** `dbaas.snapshots.local.s3`, checked, with defaults. */
export interface S3ArchiveSettings {
  bucket: string;
  /** '' or ending with '/'. */
  prefix: string;
  /** Unset: the AWS SDK's own lookup (AWS_REGION, the profile). */
  region?: string;
  /** An S3-compatible server's URL; unset for AWS S3. */
  endpoint?: string;
  forcePathStyle: boolean;
  serverSideEncryption?: (typeof SSE_MODES)[number];
  kmsKeyId?: string;
  /** Unset: the AWS SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  partSizeBytes: number;
}

/** Reads `dbaas.snapshots.local.s3`; every mistake stops startup, naming the key. */
export function readS3ArchiveSettings(config: Config): S3ArchiveSettings {
  const s3 = config.getOptionalConfig(KEY);
  if (!s3) {
    throw new InputError(
      `${KEY} is required when dbaas.snapshots.local.storage is 's3'`,
    );
  }
  const bucket = s3.getString('bucket');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
    throw new InputError(`${KEY}.bucket '${bucket}' is not a bucket name`);
  }
  const prefix = s3.getOptionalString('prefix') ?? '';
  if (prefix.startsWith('/') || prefix.split('/').includes('..')) {
    throw new InputError(
      `${KEY}.prefix must not start with '/' or contain '..' segments, not '${prefix}'`,
    );
  }
  const endpoint = s3.getOptionalString('endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) {
    throw new InputError(
      `${KEY}.endpoint must be an http(s) URL, not '${endpoint}'`,
    );
  }
  const serverSideEncryption = s3.getOptionalString('serverSideEncryption');
  if (
    serverSideEncryption !== undefined &&
    !(SSE_MODES as readonly string[]).includes(serverSideEncryption)
  ) {
    throw new InputError(
      `${KEY}.serverSideEncryption must be one of ${SSE_MODES.join(
        ', ',
      )}, not '${serverSideEncryption}'`,
    );
  }
  const kmsKeyId = s3.getOptionalString('kmsKeyId');
  if (kmsKeyId !== undefined && serverSideEncryption !== 'aws:kms') {
    throw new InputError(
      `${KEY}.kmsKeyId needs ${KEY}.serverSideEncryption: aws:kms`,
    );
  }
  const accessKeyId = s3.getOptionalString('accessKeyId');
  const secretAccessKey = s3.getOptionalString('secretAccessKey');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new InputError(
      `${KEY}.accessKeyId and ${KEY}.secretAccessKey go together; set both, or neither for the AWS SDK's default credentials`,
    );
  }
  const partSizeMiB = s3.getOptionalNumber('partSizeMiB') ?? 16;
  if (!Number.isInteger(partSizeMiB) || partSizeMiB < 5 || partSizeMiB > 5120) {
    throw new InputError(
      `${KEY}.partSizeMiB must be a whole number from 5 to 5120, not ${partSizeMiB}`,
    );
  }
  return {
    bucket,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    region: s3.getOptionalString('region'),
    endpoint,
    forcePathStyle: s3.getOptionalBoolean('forcePathStyle') ?? false,
    serverSideEncryption:
      serverSideEncryption as S3ArchiveSettings['serverSideEncryption'],
    kmsKeyId,
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey }
        : undefined,
    partSizeBytes: partSizeMiB * MIB,
  };
}

/**
 * The S3 client of the snapshot bucket. Retries (throttling, 5xx, resets)
 * are the SDK's standard ones with backoff. With an `endpoint` (not AWS),
 * request checksums are sent only when S3 requires them: several
 * S3-compatible servers reject the newer default ones, and every archive
 * is checked against its own sha256 when it is read anyway.
 */
export function createS3Client(settings: S3ArchiveSettings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    requestHandler: { connectionTimeout: 10_000 },
    ...(settings.endpoint
      ? {
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
}

/** Fails clearly at startup when no region is configured anywhere. */
export async function checkS3Region(client: S3Client): Promise<void> {
  try {
    await client.config.region();
  } catch {
    throw new InputError(
      `${KEY}.region is not set and the AWS SDK found no region (AWS_REGION, the profile); set one`,
    );
  }
}

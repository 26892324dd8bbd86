import { dsnOf } from '../../projects/dsn.ts';
import type { Project, ProjectKey } from '../../store/types.ts';
import { isoDate } from './dates.ts';

/**
 * Sentry's ProjectKey serializer. The id is the public key, as in Sentry's URLs
 * (`/projects/{org}/{project}/keys/{public_key}/`). Of the `dsn` variants, SDKs use `public`;
 * the others keep Sentry's shape for clients that read them.
 */
export function serializeKey(publicUrl: string, project: Project, key: ProjectKey) {
  const base = publicUrl.replace(/\/$/, '');
  const publicDsn = dsnOf(publicUrl, key.publicKey, project.id);
  const secretDsn = publicDsn.replace(`//${key.publicKey}@`, `//${key.publicKey}:${key.secretKey}@`);
  return {
    id: key.publicKey,
    name: key.label,
    label: key.label,
    public: key.publicKey,
    secret: key.secretKey,
    projectId: project.id,
    isActive: key.isActive,
    rateLimit:
      key.rateLimitCount !== null && key.rateLimitWindowSeconds !== null
        ? { window: key.rateLimitWindowSeconds, count: key.rateLimitCount }
        : null,
    dsn: {
      public: publicDsn,
      secret: secretDsn,
      csp: `${base}/api/${project.id}/csp-report/?sentry_key=${key.publicKey}`,
      security: `${base}/api/${project.id}/security/?sentry_key=${key.publicKey}`,
      minidump: `${base}/api/${project.id}/minidump/?sentry_key=${key.publicKey}`,
      unreal: `${base}/api/${project.id}/unreal/${key.publicKey}/`,
      cdn: `${base}/js-sdk-loader/${key.publicKey}.min.js`,
    },
    browserSdkVersion: 'latest',
    browserSdk: { choices: [['latest', 'latest']] },
    dynamicSdkLoaderOptions: { hasReplay: false, hasPerformance: false, hasDebug: false },
    useCase: 'user',
    dateCreated: isoDate(key.createdAt),
  };
}

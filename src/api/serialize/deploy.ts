import type { Deploy } from '../../store/types-releases.ts';
import { isoDate } from './dates.ts';

/** sentry-cli `deploys list` unwraps dateFinished, so it is never null (reference §5.3). */
export function serializeDeploy(deploy: Deploy) {
  return {
    id: String(deploy.id),
    environment: deploy.environment,
    name: deploy.name,
    url: deploy.url,
    dateStarted: deploy.dateStarted === null ? null : isoDate(deploy.dateStarted),
    dateFinished: isoDate(deploy.dateFinished),
  };
}

import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { INCIDENT_READ, INCIDENT_WRITE, type IncidentContext, loadIncident } from '../incidents/access.ts';
import { principalOf } from './authenticate.ts';

/** Every route under one incident starts here. */
export const INCIDENT_PATH = '/api/0/organizations/:org/incidents/:ref';

export type IncidentHandler = <T>(
  request: FastifyRequest,
  access: 'read' | 'write',
  fn: (principal: Principal, loaded: IncidentContext) => Promise<T>,
) => Promise<T>;

/**
 * Authenticates the request, loads the incident its path names with the scope the verb needs
 * (incident:read to read, incident:write to change; another organisation's incident is 404),
 * then runs the verb.
 */
export function incidentHandler(ctx: AppContext): IncidentHandler {
  return async (request, access, fn) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as { org: string; ref: string };
    const loaded = await loadIncident(
      ctx,
      principal,
      params,
      access === 'write' ? INCIDENT_WRITE : INCIDENT_READ,
    );
    return fn(principal, loaded);
  };
}

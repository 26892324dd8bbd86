import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { listIssueActivity } from '../../issues/issue-activity.ts';
import { addIssueNote, listIssueNotes } from '../../issues/issue-notes.ts';
import { getIssueTag, listIssueTags, listIssueTagValues } from '../../issues/issue-tags.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeActivity, serializeTagKey, serializeTagValue } from '../serialize/issue-activity.ts';

type IssueParams = { org: string; issueId: string };
type TagParams = IssueParams & { key: string };
const ISSUE = '/api/0/organizations/:org/issues/:issueId';

/** An issue's tags, activity and notes (Sentry calls notes "comments"; the MCP server says "notes"). */
export async function issueDetailRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const cursorOf = (query: unknown) => {
    const cursor = (query as { cursor?: string | string[] }).cursor;
    return Array.isArray(cursor) ? cursor.at(-1) : cursor;
  };

  app.get(`${ISSUE}/tags/`, async (request) => {
    const principal = await principalOf(ctx, request);
    const key = (request.query as { key?: string | string[] }).key;
    const keys = key === undefined ? [] : Array.isArray(key) ? key : [key];
    const { tags } = await listIssueTags(ctx, principal, { ...(request.params as IssueParams), keys });
    return tags.map(serializeTagKey);
  });

  app.get(`${ISSUE}/tags/:key/`, async (request) => {
    const principal = await principalOf(ctx, request);
    return serializeTagKey(await getIssueTag(ctx, principal, request.params as TagParams));
  });

  app.get(`${ISSUE}/tags/:key/values/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as TagParams;
    const page = await listIssueTagValues(ctx, principal, { ...params, query: request.query });
    setLinkHeader(request, reply, ctx.publicUrl(), {
      cursor: cursorOf(request.query),
      nextCursor: page.nextCursor,
    });
    return page.values.map(serializeTagValue);
  });

  app.get(`${ISSUE}/activities/`, async (request) => {
    const principal = await principalOf(ctx, request);
    const activity = await listIssueActivity(ctx, principal, request.params as IssueParams);
    return { activity: activity.map(serializeActivity) };
  });

  for (const name of ['comments', 'notes']) {
    app.get(`${ISSUE}/${name}/`, async (request, reply) => {
      const principal = await principalOf(ctx, request);
      const params = request.params as IssueParams;
      const page = await listIssueNotes(ctx, principal, { ...params, query: request.query });
      setLinkHeader(request, reply, ctx.publicUrl(), {
        cursor: cursorOf(request.query),
        nextCursor: page.nextCursor,
      });
      return page.notes.map(serializeActivity);
    });

    app.post(`${ISSUE}/${name}/`, async (request, reply) => {
      const principal = await principalOf(ctx, request);
      const note = await addIssueNote(ctx, principal, {
        ...(request.params as IssueParams),
        body: request.body,
      });
      return reply.code(201).send(serializeActivity(note));
    });
  }
}

import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  directoryImportQuery,
  directoryStatusSchema,
  type ImportStreamLine,
  importStreamLineSchema,
  MAX_FEED_BYTES,
} from '../../contract/directory.js';
import { type AppContext, requireAdmin } from '../../http/context.js';
import { commonErrors, errorBody } from '../../http/errorShape.js';
import { AppError, badRequest } from '../../lib/errors.js';
import { importDirectory } from './importDirectory.js';
import { directoryStatus } from './status.js';

/**
 * Records per batch for an upload: the import yields to the event loop between batches, so this
 * bounds how long other requests (and /healthz) wait, and how often the progress line is written.
 */
const WEB_BATCH_SIZE = 100;

/** The staff directory page of the admin console (registered behind adminOnly). */
export function directoryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const { db } = ctx.database;
  return async (app) => {
    app.get(
      '/admin/directory',
      { schema: { tags: ['admin'], response: { 200: directoryStatusSchema, ...commonErrors } } },
      async (request) => {
        requireAdmin(request);
        return directoryStatus(db, ctx.config);
      },
    );

    // The feed file is the body, as it is: a feed sent inside a JSON object would be parsed twice,
    // each time in one call that holds the event loop (about 300 ms for 20 MB).
    const uploadRoute: FastifyPluginAsyncZod = async (upload) => {
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_FEED_BYTES }, (_request, body, done) =>
        done(null, body),
      );
      upload.post(
        '/admin/directory/imports',
        {
          schema: {
            tags: ['admin'],
            summary:
              'Import an uploaded staff feed (JSON or CSV: the file itself is the body, at most 20 MB), or check it ' +
              'with dryRun=true. Answers application/x-ndjson: progress lines, then one result or error line. The ' +
              'import is one transaction: if it fails, nothing changes.',
            querystring: directoryImportQuery,
            consumes: ['text/csv', 'application/json', 'application/octet-stream'],
            produces: ['application/x-ndjson'],
            response: { 200: importStreamLineSchema, ...commonErrors, 413: errorBody },
          },
        },
        async (request, reply) => {
          const admin = requireAdmin(request);
          const { fileName, format, prune, dryRun } = request.query;
          const feed = typeof request.body === 'string' ? request.body : '';
          if (!feed) throw badRequest('feed: is empty: choose a feed file with records', 'feed');
          let stream: PassThrough | null = null;
          const write = (line: ImportStreamLine) => {
            // The answer starts with the first progress: an unreadable feed is still a plain 400 before that.
            if (!stream) {
              stream = new PassThrough();
              reply.header('content-type', 'application/x-ndjson; charset=utf-8').header('cache-control', 'no-store');
              void (reply as { send(payload: unknown): unknown }).send(stream);
            }
            stream.write(`${JSON.stringify(line)}\n`);
          };
          try {
            const summary = await importDirectory({
              db,
              upload: { text: feed, name: fileName },
              format,
              prune,
              dryRun,
              wholeOrNothing: true,
              batchSize: WEB_BATCH_SIZE,
              defaultTimezone: ctx.config.defaultTimezone,
              actorId: admin.id,
              ip: request.ip,
              origin: 'web',
              onProgress: (progress) => write({ progress }),
            });
            write({ result: { dryRun, summary } });
          } catch (error) {
            if (!stream) throw error;
            // Headers are gone: the error travels as the last line (nothing was written, see above).
            const known = error instanceof AppError;
            if (!known) request.log.error({ err: error }, 'directory import failed');
            write({
              error: known
                ? { code: error.code, message: error.message, field: error.field }
                : {
                    code: 'internal',
                    message: 'The import failed on our side and changed nothing. It has been logged.',
                  },
            });
          }
          (stream as PassThrough | null)?.end();
          return reply;
        },
      );
    };
    await app.register(uploadRoute);
  };
}

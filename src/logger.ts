import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LoggerOptions } from 'pino';

/** JSON logs with every credential-bearing field removed before it is written. */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.token',
        '*.secret',
      ],
      censor: '[redacted]',
    },
  };
}

/**
 * Fastify's per-request child logger, skipped while the logger is silent: a child of a silent
 * logger writes nothing either, and building one (bindings, redaction set-up) cost more than a
 * cached answer. A route with its own logLevel still gets a real child.
 */
export function childLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return logger.level === 'silent' && !options.level ? logger : logger.child(bindings, options);
}

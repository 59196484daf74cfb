import type { LoggerOptions } from 'pino';

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

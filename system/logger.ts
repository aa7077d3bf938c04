import pino from 'pino';

/** Structured logs (pino). Tokens and passwords never reach a log line. */
export function createLogger(level: string, name = 'butler') {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', '*.authorization', '*.password', '*.token', 'token', 'password', 'databaseUrl'],
      censor: '[redacted]',
    },
  });
}

export type Logger = ReturnType<typeof createLogger>;

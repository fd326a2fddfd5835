import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths that must never reach a log line: credentials, tokens and message bodies
 * with personal data. pino replaces them with "[redacted]".
 */
const REDACT = [
  'secret',
  'token',
  'access_token',
  'accessToken',
  'encodingAesKey',
  'password',
  'content',
  'text',
  '*.secret',
  '*.token',
  '*.access_token',
  '*.accessToken',
  '*.encodingAesKey',
  '*.password',
  '*.content',
  '*.text',
  'req.headers.authorization',
];

/** Creates the process logger; `level: 'silent'` is what tests use. */
export function createLogger(
  options: { level?: string; name?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const settings = {
    name: options.name ?? 'kaohe',
    level: options.level ?? 'info',
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** A logger that writes nothing, for tests and tools. */
export const silentLogger: Logger = pino({ level: 'silent' });

import { LoggerService } from '@backstage/backend-plugin-api';

export interface CapturedLogger extends LoggerService {
  lines: string[];
}

/** A logger that keeps every line (and its metadata) as text. */
export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const record = (level: string) => (message: string, meta?: unknown) => {
    lines.push(`${level} ${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`);
  };
  const logger: CapturedLogger = {
    lines,
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    child: () => logger,
  };
  return logger;
}

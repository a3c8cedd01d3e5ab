/** Structured logs: one line per event, readable in a terminal, or JSON lines for collectors. */

export enum LogLevel {
  Debug = 10,
  Info = 20,
  Warn = 30,
  Error = 40,
}

export type LogFields = Record<string, unknown>;
export type LogFormat = "text" | "json";

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(component: string): Logger;
}

export function parseLogLevel(name: string): LogLevel | undefined {
  const key = (name.charAt(0).toUpperCase() + name.slice(1).toLowerCase()) as keyof typeof LogLevel;
  return LogLevel[key];
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /[\s="]/.test(value) ? JSON.stringify(value) : value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Prefix for every line, e.g. the validator's name in a devnet. */
  name?: string;
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}, component = "node"): Logger {
  const level = options.level ?? LogLevel.Info;
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const log = (at: LogLevel, message: string, fields: LogFields = {}) => {
    if (at < level) return;
    const time = new Date().toISOString();
    const levelName = LogLevel[at]!.toUpperCase();
    if (options.format === "json") {
      const record = {
        time,
        level: levelName.toLowerCase(),
        name: options.name,
        component,
        message,
        ...fields,
      };
      write(`${JSON.stringify(record, (_, v) => (typeof v === "bigint" ? v.toString() : v))}\n`);
      return;
    }
    const pairs = Object.entries(fields)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(" ");
    const who = options.name ? `${options.name} ` : "";
    write(
      `${time} ${levelName.padEnd(5)} ${who}${component.padEnd(9)} ${message}${pairs ? ` ${pairs}` : ""}\n`,
    );
  };
  return {
    debug: (m, f) => log(LogLevel.Debug, m, f),
    info: (m, f) => log(LogLevel.Info, m, f),
    warn: (m, f) => log(LogLevel.Warn, m, f),
    error: (m, f) => log(LogLevel.Error, m, f),
    child: (c) => createLogger(options, c),
  };
}

/** A logger that discards everything (tests, library use). */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

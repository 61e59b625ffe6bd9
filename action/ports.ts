/**
 * What the action needs from its surroundings, as parameters: the runner's `@actions/core` and the
 * core library's factories. Tests pass fakes of these shapes, so they need no module mocks.
 */
import type { CheckOptions, Client, ClientOptions, StatusReport, Target } from '../src/index.js';

/** A row of a summary table, as `core.summary.addTable` takes it (cells are raw HTML). */
export type SummaryTableRow = (string | { data: string; header?: boolean })[];

/** The part of `core.summary` the action writes with. */
export interface SummaryPort {
  addHeading(text: string, level?: number | string): SummaryPort;
  addTable(rows: SummaryTableRow[]): SummaryPort;
  addRaw(text: string, addEOL?: boolean): SummaryPort;
  write(): Promise<unknown>;
}

/** The part of `@actions/core` the action uses. */
export interface CorePort {
  getInput(name: string, options?: { required?: boolean; trimWhitespace?: boolean }): string;
  setSecret(secret: string): void;
  setOutput(name: string, value: unknown): void;
  setFailed(message: string | Error): void;
  info(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  debug(message: string): void;
  summary: SummaryPort;
}

/** The core library's entry points the action calls. */
export interface CoreDeps {
  createClient(options: ClientOptions): Client;
  checkStatus(targets: string | readonly (string | Target)[], options?: CheckOptions): Promise<StatusReport>;
}

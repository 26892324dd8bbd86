import type { CheckResult, CheckStatus, SingleMode } from './schemas.ts';

const RANK: Record<CheckStatus, number> = { PASS: 0, PARTIAL: 1, FAIL: 2 };

export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'PASS');
}

/** What helpers shared by several modes may do to a report (everything but finishing it). */
export type Findings = Omit<CheckReport<SingleMode>, 'result' | 'mode'>;

type DataOf<M extends SingleMode> = Extract<CheckResult, { mode: M }>['data'];

/**
 * Collects one mode's findings in the output contract's shape. A finding that blocks trustworthy
 * verification is `fail`, one that needs attention but does not block is `warn` (PARTIAL), and
 * `note` records a risk that changes no status.
 */
export class CheckReport<M extends SingleMode> {
  readonly mode: M;
  status: CheckStatus = 'PASS';
  skipped = false;
  readonly evidence: string[] = [];
  readonly risks: string[] = [];
  readonly nextCommands: string[] = [];
  readonly #absorbed = new Set<string>();

  constructor(mode: M) {
    this.mode = mode;
  }

  fact(line: string): void {
    this.evidence.push(line);
  }

  fail(risk: string): void {
    this.risks.push(risk);
    this.status = 'FAIL';
  }

  warn(risk: string): void {
    this.risks.push(risk);
    this.raise('PARTIAL');
  }

  note(risk: string): void {
    this.risks.push(risk);
  }

  next(command: string): void {
    if (!this.nextCommands.includes(command)) this.nextCommands.push(command);
  }

  raise(status: CheckStatus): void {
    this.status = worstStatus([this.status, status]);
  }

  /** Takes in another mode's findings (verify-loop runs the others). */
  absorb(other: CheckResult, label: string): void {
    this.raise(other.status);
    this.evidence.push(`${label}: ${other.status}${other.skipped ? ' (skipped)' : ''}`);
    for (const line of other.evidence) {
      // Facts every API mode states (the org and project it settled on) are said once.
      if (!this.#absorbed.has(line)) this.evidence.push(`[${label}] ${line}`);
      this.#absorbed.add(line);
    }
    for (const line of other.risks) this.risks.push(`[${label}] ${line}`);
    for (const command of other.nextCommands) this.next(command);
  }

  result(data: DataOf<M> | null): CheckResult {
    return {
      mode: this.mode,
      status: this.status,
      skipped: this.skipped,
      evidence: this.evidence,
      risks: this.risks,
      nextCommands: this.nextCommands,
      data,
    } as CheckResult;
  }
}

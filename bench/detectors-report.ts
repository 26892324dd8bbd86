/** Prints bench/detectors.ts's figures for a person (`--json` prints them as data). */
export function printDetectorFigures(
  results: {
    backend: unknown;
    steady24h: { issues: number[]; spikeAlerts: Record<string, number>; passes: number; msPerPass: number };
    spike5x: {
      rate: number;
      method: string;
      trials: number;
      detected: number;
      withinMinute: number;
      medianSeconds: number | null;
      maxSeconds: number | null;
    }[];
    week: {
      method: string;
      falseAlerts: number;
      steadyIssues: number;
      perIssueDay: number;
      perEvaluatedMinute: number;
      dailyStepAlertDays: number[];
      falseAlertDetails: string[];
    }[];
  },
  { trials, days }: { trials: number; days: number },
): void {
  const s = results.steady24h;
  console.log(`detector figures (${results.backend}; rule: factor 3, min 10 events, 1-minute window)`);
  console.log(
    `\n24 h of noisy steady traffic, issues at ${s.issues.join(', ')} events/min: spike alerts ${JSON.stringify(s.spikeAlerts)} (${s.passes} passes, ${s.msPerPass} ms each)`,
  );
  console.log(
    `\n5× spike, ${trials} trials per rate, a pass every 10 s (seconds from spike start to alert):`,
  );
  console.log('rate/min  method    detected  ≤60 s  median  max');
  for (const r of results.spike5x) {
    console.log(
      `${String(r.rate).padEnd(9)} ${r.method.padEnd(9)} ${`${r.detected}/${r.trials}`.padEnd(9)} ${String(r.withinMinute).padEnd(6)} ${String(r.medianSeconds ?? '-').padEnd(7)} ${r.maxSeconds ?? '-'}`,
    );
  }
  console.log(
    `\n${days} days of noisy traffic (false alerts on steady issues; a daily 5× level 08–16 h on another):`,
  );
  for (const w of results.week) {
    console.log(
      `${w.method.padEnd(9)} ${w.falseAlerts} false alerts on ${w.steadyIssues} issues = ${w.perIssueDay} per issue-day (${w.perEvaluatedMinute.toExponential(1)} per evaluated minute); daily level alerted on days [${w.dailyStepAlertDays.join(', ')}]`,
    );
    for (const detail of w.falseAlertDetails) console.log(`          false alert: ${detail}`);
  }
}

/**
 * 5-field cron (minute hour day-of-month month day-of-week, UTC), as `spec.pipelines[].schedule`
 * takes it: parsed once here, checked by the rules and translated by the AWS target into
 * EventBridge Scheduler's 6-field form.
 *
 * Accepted per field: `*`, `*∕n`, `a`, `a-b`, `a-b/n` and comma lists of them; months JAN-DEC
 * and days SUN-SAT by name (any case); day-of-week 0-7 with 0 and 7 both Sunday (unix cron).
 */

export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

export const CRON_FIELDS: readonly CronField[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

export type CronParse =
  | { readonly ok: true; readonly fields: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly found: string };

/** Splits and checks a 5-field cron; the first problem is returned with the field it is in. */
export function parseCron(expr: string): CronParse {
  const fields = expr.trim().split(/\s+/);
  if (expr.trim().startsWith("@")) return { ok: false, message: `\`${expr}\` is a cron macro; write the 5 fields (e.g. \`0 3 * * 1\` for Mondays 03:00 UTC).`, found: expr };
  if (fields.length !== 5) return { ok: false, message: `a schedule is 5 cron fields (minute hour day-of-month month day-of-week), got ${fields.length}.`, found: expr };
  for (let i = 0; i < 5; i++) {
    const problem = checkField(fields[i]!, CRON_FIELDS[i]!);
    if (problem) return { ok: false, message: `${CRON_FIELDS[i]!.name} field \`${fields[i]}\`: ${problem}`, found: expr };
  }
  return { ok: true, fields };
}

function checkField(field: string, f: CronField): string | undefined {
  for (const part of field.split(",")) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `\`${part}\` is not \`*\`, a value, a range \`a-b\` or a step \`*/n\`.`;
    const [, base, step] = m;
    if (step !== undefined && (Number(step) < 1 || Number(step) > f.max)) return `step \`/${step}\` must be between 1 and ${f.max}.`;
    if (base === "*") continue;
    const ends = base!.split("-");
    const values: number[] = [];
    for (const e of ends) {
      const v = valueOf(e, f);
      if (v === undefined) return `\`${e}\` is not ${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ""}.`;
      values.push(v);
    }
    if (values.length === 2 && values[0]! > values[1]!) return `range \`${base}\` runs backwards.`;
    if (values.length === 1 && step !== undefined) return `\`${part}\`: a step needs \`*\` or a range before it (\`*/${step}\` or \`a-b/${step}\`).`;
  }
  return undefined;
}

function valueOf(token: string, f: CronField): number | undefined {
  if (/^\d+$/.test(token)) {
    const v = Number(token);
    return v >= f.min && v <= f.max ? v : undefined;
  }
  const i = f.names?.indexOf(token.toUpperCase()) ?? -1;
  return i < 0 ? undefined : f === CRON_FIELDS[3] ? i + 1 : i;
}

/** The days of the week a valid day-of-week field selects, 0 = Sunday … 6 = Saturday, ascending. */
export function daysOfWeek(field: string): number[] {
  const f = CRON_FIELDS[4]!;
  const days = new Set<number>();
  for (const part of field.split(",")) {
    const [base, step] = part.split("/") as [string, string | undefined];
    const [from, to] = base === "*" ? [0, 6] : ((ends) => [ends[0]!, ends[1] ?? ends[0]!])(base.split("-").map((e) => valueOf(e, f)!));
    for (let d = from; d <= to; d += step ? Number(step) : 1) days.add(d % 7);
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * EventBridge's `cron(minutes hours day-of-month month day-of-week year)` for a valid 5-field
 * cron, or why it cannot be written there. EventBridge needs `?` in exactly one of day-of-month
 * and day-of-week, numbers days 1-7 from Sunday and takes no step in day-of-week, so the day of
 * week is written as names (`MON,WED`); unix cron's "either day field matches" when both are
 * restricted has no EventBridge form.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 */
export function eventBridgeCron(expr: string): { ok: true; expression: string } | { ok: false; message: string } {
  const p = parseCron(expr);
  if (!p.ok) return { ok: false, message: p.message };
  const [minute, hour, dom, month, dow] = p.fields as [string, string, string, string, string];
  const allDays = daysOfWeek(dow).length === 7;
  // Both restricted: unix cron runs on either; only a day-of-week naming every day has a form (daily).
  if (dom !== "*" && dow !== "*" && !allDays) {
    return { ok: false, message: `\`${expr}\` restricts both day-of-month and day-of-week (unix cron runs when either matches); EventBridge Scheduler can only restrict one of them.` };
  }
  const names = CRON_FIELDS[4]!.names!;
  const byWeekday = dow !== "*" && dom === "*" && !allDays;
  const dayOfMonth = byWeekday ? "?" : dow !== "*" && allDays ? "*" : dom;
  const dayOfWeek = byWeekday ? daysOfWeek(dow).map((d) => names[d]).join(",") : "?";
  return { ok: true, expression: `cron(${minute} ${hour} ${dayOfMonth} ${month.toUpperCase()} ${dayOfWeek} *)` };
}

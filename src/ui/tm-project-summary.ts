import type { TmProjectReport } from '../workers/tm-project-import';

export interface TmSummary {
  projectId: string;
  projectName: string;
  /** Nothing refused, nothing skipped, disk not full: just open the project. */
  clean: boolean;
  headline: string;
  stoppedBy: string | null;
  /** One line per file that did not go in, and why. */
  refused: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a person needs to know after a Teachable Machine project import that did not take everything. */
export function summarize(report: TmProjectReport): TmSummary {
  const added = report.classes.reduce((sum, c) => sum + c.report.added, 0);
  const refused = report.classes.flatMap((c) => c.report.refused.map((r) => `${c.name}: “${r.name}”: ${r.reason}`));
  refused.push(...report.ignored.map((path) => `“${path}” is not a Teachable Machine photo, so it was skipped`));
  const classes = plural(report.classes.length, 'class', 'classes');
  return {
    projectId: report.project.id,
    projectName: report.project.name,
    clean: refused.length === 0 && !report.stoppedBy,
    headline: `Project “${report.project.name}” made with ${classes} and ${plural(added, 'photo')}; ${plural(refused.length, 'file')} did not go in.`,
    stoppedBy: report.stoppedBy,
    refused,
  };
}

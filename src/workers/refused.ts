import type { ImportReport, ProjectImportReport, RefusedEntry } from '../api/types';
import type { KilnDB } from '../storage/db';
import { appendRefused } from '../storage/projects';

/**
 * Keeps the files an import refused on the project, for the health check after a reload. Only a
 * record for the person: failing to write it (a full disk) must not fail the import.
 */
export async function rememberRefused(
  database: KilnDB,
  projectId: string,
  reports: readonly { className: string; report: Pick<ImportReport, 'refused'> }[],
): Promise<void> {
  const entries: RefusedEntry[] = reports.flatMap(({ className, report }) => report.refused.map((r) => ({ ...r, className })));
  if (entries.length === 0) return;
  try {
    await appendRefused(database, projectId, entries);
  } catch {
    // The import's own report still lists them.
  }
}

/** `rememberRefused` for a whole-project import's report (project file, classroom pack, Teachable Machine project). */
export function rememberProjectImportRefused(database: KilnDB, report: ProjectImportReport | null): Promise<void> {
  if (!report) return Promise.resolve();
  return rememberRefused(
    database,
    report.project.id,
    report.classes.map((c) => ({ className: c.name, report: c.report })),
  );
}

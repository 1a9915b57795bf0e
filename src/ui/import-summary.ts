import type { ProjectImportReport } from '../api/types';
import { t, ti } from './i18n/i18n';
import { messageText } from './i18n/messages';

export interface ImportSummary {
  projectId: string;
  projectName: string;
  /** Nothing refused, nothing skipped, disk not full: just open the project. */
  clean: boolean;
  /** With its names isolated for direction (ti()): show it, and each refused line, with BidiText. */
  headline: string;
  stoppedBy: string | null;
  /** One line per file that did not go in, and why. */
  refused: string[];
}

/**
 * What a person needs to know after a project import (a Kiln project file, a classroom pack, a Teachable Machine
 * project) that did not take everything, in the page's language.
 */
export function summarize(report: ProjectImportReport): ImportSummary {
  const added = report.classes.reduce((sum, c) => sum + c.report.added, 0);
  const refused = report.classes.flatMap((c) =>
    c.report.refused.map((r) =>
      ti('collect.tmSummary.refused', { className: c.name, name: r.name, reason: r.message ? messageText(r.message) : r.reason }),
    ),
  );
  refused.push(...report.ignored.map((path) => ti('collect.tmSummary.ignored', { path })));
  refused.push(
    ...(report.skipped ?? []).map((r) =>
      ti('collect.tmSummary.skipped', { name: r.name, reason: r.message ? messageText(r.message) : r.reason }),
    ),
  );
  return {
    projectId: report.project.id,
    projectName: report.project.name,
    clean: refused.length === 0 && !report.stoppedBy,
    headline: ti('collect.tmSummary.headline', {
      name: report.project.name,
      classes: t('collect.tmSummary.classes', { count: report.classes.length }),
      photos: t('collect.tmSummary.photos', { count: added }),
      count: refused.length,
    }),
    stoppedBy: report.stoppedByMessage ? messageText(report.stoppedByMessage) : report.stoppedBy,
    refused,
  };
}

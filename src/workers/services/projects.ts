/** Projects and their classes: creating, renaming, deleting. */
import { DEFAULT_BACKBONE } from '../../ml/backbone-catalogue';
import { quantityProblem, QUANTITY_TEXT_MAX, type Quantity } from '../../ml/regression';
import type { ClassRecord, ProjectRecord } from '../../api/types';
import { UserError } from '../../api/user-message';
import { nameKey, requireName } from '../../shared/names';
import { deleteClassCascade, getClass, listClasses, putClass } from '../../storage/classes';
import { deleteProjectCascade, putProject, updateProject } from '../../storage/projects';
import type { Job } from '../jobs';
import type { StudioDeps } from './deps';

/** Refuses a class name that reads the same as another class's (case, Unicode form and invisible characters aside). */
function refuseTaken(name: string, others: readonly ClassRecord[]): void {
  if (others.some((c) => nameKey(c.name) === nameKey(name))) {
    throw new UserError('name.classTaken', `There is already a class called "${name}".`, { name });
  }
}

/** A quantity as typed, cleaned (names as class names are), or refused saying what to fix. */
function checkedQuantity(q: Quantity): Quantity {
  const clean: Quantity = {
    name: q.name.trim().slice(0, QUANTITY_TEXT_MAX),
    unit: q.unit.trim().slice(0, QUANTITY_TEXT_MAX),
    min: Number(q.min),
    max: Number(q.max),
  };
  const problem = quantityProblem(clean);
  if (problem === 'quantity.nameMissing') throw new UserError(problem, 'Name what the model predicts, for example “ripeness”.');
  if (problem === 'quantity.rangeInvalid')
    throw new UserError(problem, 'Give the range as two numbers, the smallest first, for example 0 to 10.');
  return { ...clean, name: requireName(clean.name, 'class') };
}

export function projectsService(deps: StudioDeps) {
  /** A model in memory was trained on the classes as they were: drop it. */
  const forgetModel = async (projectId: string) => (await deps.predictor().catch(() => null))?.forget(projectId);

  return {
    /**
     * A new project: one that tells classes apart, or with `quantity`, one that predicts a number (its photos go in
     * one class record, named by the quantity, and each carries a value).
     */
    async createProject({ name, quantity }: { name: string; quantity?: Quantity | null }, job: Job): Promise<ProjectRecord> {
      const now = Date.now();
      const number = quantity ? checkedQuantity(quantity) : null;
      const project: ProjectRecord = {
        id: crypto.randomUUID(),
        name: requireName(name, 'project'),
        createdAt: now,
        updatedAt: now,
        backboneId: DEFAULT_BACKBONE.id,
        cropMode: 'center',
        activeRunId: null,
        ...(number ? { quantity: number } : {}),
      };
      const database = await deps.db();
      await putProject(database, project);
      if (number)
        await putClass(database, { id: crypto.randomUUID(), projectId: project.id, name: number.name, order: 0, createdAt: now });
      job.changed('projects');
      return project;
    },

    async renameProject({ id, name }: { id: string; name: string }, job: Job): Promise<ProjectRecord> {
      const project = await updateProject(await deps.db(), id, { name: requireName(name, 'project') });
      job.changed('projects');
      job.changed('project', id);
      return project;
    },

    async deleteProject({ id }: { id: string }, job: Job): Promise<void> {
      await forgetModel(id);
      await deleteProjectCascade(await deps.db(), id);
      job.changed('projects');
      job.changed('project', id);
    },

    async addClass({ projectId, name }: { projectId: string; name: string }, job: Job): Promise<ClassRecord> {
      const database = await deps.db();
      const clean = requireName(name, 'class');
      const existing = await listClasses(database, projectId);
      refuseTaken(clean, existing);
      const record: ClassRecord = {
        id: crypto.randomUUID(),
        projectId,
        name: clean,
        order: existing.reduce((max, c) => Math.max(max, c.order + 1), 0),
        createdAt: Date.now(),
      };
      await putClass(database, record);
      await updateProject(database, projectId, {});
      job.changed('photos', projectId);
      job.changed('projects');
      return record;
    },

    /**
     * Renames a class. `from` is the name the person saw when they began: when another tab renamed it meanwhile, the
     * rename is refused with both names rather than the last write silently winning.
     */
    async renameClass({ id, name, from }: { id: string; name: string; from?: string }, job: Job): Promise<ClassRecord> {
      const database = await deps.db();
      const current = await getClass(database, id);
      if (!current) throw new UserError('class.gone', 'This class no longer exists.');
      const clean = requireName(name, 'class');
      if (from !== undefined && current.name !== from && current.name !== clean) {
        job.changed('photos', current.projectId);
        throw new UserError(
          'class.renamedElsewhere',
          `This class was renamed to “${current.name}” in another tab meanwhile. Rename it again if you still want “${clean}”.`,
          { current: current.name, wanted: clean },
        );
      }
      refuseTaken(
        clean,
        (await listClasses(database, current.projectId)).filter((c) => c.id !== id),
      );
      const next = { ...current, name: clean };
      await putClass(database, next);
      await forgetModel(current.projectId);
      job.changed('photos', current.projectId);
      return next;
    },

    async deleteClass({ id }: { id: string }, job: Job): Promise<void> {
      const database = await deps.db();
      const current = await getClass(database, id);
      if (!current) return;
      await deleteClassCascade(database, id);
      await forgetModel(current.projectId);
      job.changed('photos', current.projectId);
      job.changed('projects');
    },
  };
}

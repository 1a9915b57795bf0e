import type { Count } from '../../api/job';
import type { TmProjectReport } from '../../api/contract';
import type { ProjectImportReport, ProjectRecord } from '../../api/types';
import type { Quantity } from '../../api/domain';
import { listClasses } from '../../storage/classes';
import { listProjects } from '../../storage/projects';
import { onChange } from './changes';
import { studio } from './studio.svelte';

export interface ProjectSummary {
  project: ProjectRecord;
  classCount: number;
}

/** The list on the Projects screen. Writes go through the worker; the list re-reads when it says the list changed. */
class Projects {
  list = $state.raw<ProjectSummary[]>([]);
  loaded = $state(false);

  constructor() {
    onChange((change) => (change.scope === 'projects' && this.loaded ? this.refresh() : undefined));
  }

  async refresh(): Promise<void> {
    const db = await studio.db();
    const projects = await listProjects(db);
    this.list = await Promise.all(
      projects.map(async (project) => ({ project, classCount: (await listClasses(db, project.id)).length })),
    );
    this.loaded = true;
  }

  /** A new project; with a quantity, one that predicts that number for each photo. */
  create(name: string, quantity: Quantity | null = null): Promise<ProjectRecord> {
    return studio.api.createProject({ name, quantity });
  }

  /** A Teachable Machine model (zip or its three files) becomes a project with that model active. */
  importTeachableMachine(files: File[]): Promise<ProjectRecord> {
    return studio.api.importTeachableMachine({ files });
  }

  /** A Teachable Machine project file (.tm) becomes a project with its classes and photos; null if cancelled. */
  importTmProject(
    file: File,
    options: { signal?: AbortSignal; onProgress?: (p: Count) => void },
  ): Promise<TmProjectReport | null> {
    return studio.api.importTmProject({ file }, options);
  }

  /**
   * A project file exported from Kiln becomes a new project here (a classroom pack may bring the image model too);
   * the report names each photo that could not be used.
   */
  importProject(file: File, options: { onProgress?: (p: Count) => void } = {}): Promise<ProjectImportReport | null> {
    return studio.api.importProject({ file }, options);
  }

  async rename(id: string, name: string): Promise<void> {
    await studio.api.renameProject({ id, name });
  }

  async remove(id: string): Promise<void> {
    await studio.api.deleteProject({ id });
  }

  /** A new project with these classes, made in order. */
  async createWithClasses(name: string, classNames: readonly string[]): Promise<ProjectRecord> {
    const project = await this.create(name);
    for (const className of classNames) await studio.api.addClass({ projectId: project.id, name: className });
    return project;
  }
}

export const projects = new Projects();

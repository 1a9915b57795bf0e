import type { ImportProgress, ProjectRecord } from '../../api/types';
import type { TmProjectReport } from '../../workers/tm-project-import';
import { listClasses } from '../../storage/classes';
import { listProjects } from '../../storage/projects';
import { studio } from './studio.svelte';

export interface ProjectSummary {
  project: ProjectRecord;
  classCount: number;
}

/** The list on the Projects screen. Writes go through the worker; reads come straight from IndexedDB. */
class Projects {
  list = $state.raw<ProjectSummary[]>([]);
  loaded = $state(false);

  async refresh(): Promise<void> {
    const db = await studio.db();
    const projects = await listProjects(db);
    this.list = await Promise.all(
      projects.map(async (project) => ({ project, classCount: (await listClasses(db, project.id)).length })),
    );
    this.loaded = true;
  }

  async create(name: string): Promise<ProjectRecord> {
    const project = await studio.client.createProject(name);
    await this.refresh();
    return project;
  }

  /** A Teachable Machine model (zip or its three files) becomes a project with that model active. */
  async importTeachableMachine(files: File[]): Promise<ProjectRecord> {
    const project = await studio.client.importTeachableMachine(files);
    await this.refresh();
    return project;
  }

  /** A Teachable Machine project file (.tm) becomes a project with its classes and photos; null if cancelled. */
  async importTmProject(
    file: File,
    options: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void },
  ): Promise<TmProjectReport | null> {
    try {
      return await studio.client.importTmProject(file, options);
    } finally {
      await this.refresh();
    }
  }

  /** A project file exported from Kiln becomes a new project here. */
  async importProject(file: File): Promise<ProjectRecord> {
    const project = await studio.client.importProject(file);
    // A classroom pack may have brought the image model this device lacked: the banner and Train follow.
    await studio.refreshStatus();
    await this.refresh();
    return project;
  }

  async rename(id: string, name: string): Promise<void> {
    await studio.client.renameProject(id, name);
    await this.refresh();
  }

  async remove(id: string): Promise<void> {
    await studio.client.deleteProject(id);
    await this.refresh();
  }
}

export const projects = new Projects();

/**
 * Every photo of a project file is checked as it comes in, not when it is trained on: one that is not a photo, is
 * cut short or does not decode is left out and reported by name, with its reason, and the rest of the project opens.
 */
import type { ImportProgress, ImportReport, RefusedFile } from '../../api/types';
import type { UserMessage } from '../../api/user-message';

/**
 * Takes a photo's bytes (named `name`, in class `className`, with a thumbnail of `thumbBytes`); resolves to whether it
 * goes in.
 */
export type PhotoGate = (bytes: Uint8Array, name: string, className: string, thumbBytes?: number) => Promise<boolean>;

/** Why a photo cannot be used (a sentence with its key), or null when it can. */
export type PhotoCheck = (bytes: Uint8Array) => Promise<UserMessage | null>;

/**
 * A gate that checks with `check` (none: every photo goes in), counts for `onProgress`, spends each photo's bytes
 * with `spend`, and keeps what it refused.
 */
export function photoGate(
  total: number,
  check?: PhotoCheck,
  onProgress?: (progress: ImportProgress) => void,
  /** Counts each photo's bytes as it will be stored; throws when a file names the same entries over and over. */
  spend?: (bytes: number) => void,
) {
  const refused = new Map<string, RefusedFile[]>();
  let done = 0;
  const gate: PhotoGate = async (bytes, name, className, thumbBytes = 0) => {
    spend?.(bytes.length + thumbBytes);
    const problem = check ? await check(bytes) : null;
    onProgress?.({ done: ++done, total });
    if (!problem) return true;
    const list = refused.get(className) ?? [];
    list.push({ name, reason: problem.text, message: problem });
    refused.set(className, list);
    return false;
  };
  /** One report per class, in the project's order, as the other imports give them. */
  const reports = (classes: readonly { id: string; name: string }[], samples: readonly { classId: string }[]) =>
    classes.map((klass): { name: string; report: ImportReport } => ({
      name: klass.name,
      report: {
        added: samples.filter((s) => s.classId === klass.id).length,
        refused: refused.get(klass.name) ?? [],
        cancelled: false,
        stoppedBy: null,
      },
    }));
  return { gate, reports };
}

import { sha256Hex } from '../shared/hash';
import type { ImportProgress, ImportReport, RefusedFile, SampleRecord, SampleSource } from '../api/types';
import { userMessage, type UserMessage } from '../api/user-message';
import type { KilnDB } from '../storage/db';
import { isQuotaError } from '../storage/db';
import { addSamples, ClassGoneError } from '../storage/samples';
import { thumbnailStats } from './photo-stats';
import { checkDiskRoom } from './storage-fault';
import { decodeImageFile, encodeScaled, ImageRefusedError, STORED_MAX_SIDE, THUMB_MAX_SIDE } from './pixels';

/** Samples are written in small transactions: a failure (a full disk) loses at most one batch. */
const WRITE_BATCH = 16;

export interface ImportTarget {
  projectId: string;
  classId: string;
  /** Photos for the test set only: never trained or validated on. */
  testOnly?: boolean;
  /** A "Predict a number" project's value for every photo of this import (checked by the caller); absent: none yet. */
  value?: number;
}

/** A picked file, or a webcam frame with the name it will get. */
export type ImportItem = { kind: 'file'; file: File } | { kind: 'frame'; bitmap: ImageBitmap; name: string };

export interface ImportControl {
  onProgress?: (progress: ImportProgress) => void;
  isCancelled?: () => boolean;
}

async function sampleFromBitmap(
  bitmap: ImageBitmap,
  target: ImportTarget,
  meta: { name: string; source: SampleSource; hash: string | null; original?: { width: number; height: number } },
): Promise<SampleRecord> {
  const [stored, thumb] = await Promise.all([encodeScaled(bitmap, STORED_MAX_SIDE), encodeScaled(bitmap, THUMB_MAX_SIDE, 0.8)]);
  // Measured from the stored thumbnail itself, the pixels the health check looks at.
  const [hash, stats] = await Promise.all([meta.hash ?? sha256Hex(await stored.blob.arrayBuffer()), thumbnailStats(thumb.blob)]);
  return {
    id: crypto.randomUUID(),
    projectId: target.projectId,
    classId: target.classId,
    hash,
    name: meta.name,
    source: meta.source,
    addedAt: Date.now(),
    width: stored.width,
    height: stored.height,
    originalWidth: meta.original?.width ?? bitmap.width,
    originalHeight: meta.original?.height ?? bitmap.height,
    image: stored.blob,
    thumb: thumb.blob,
    stats,
    ...(target.testOnly ? { testOnly: true } : {}),
    ...(target.value !== undefined ? { value: target.value } : {}),
  };
}

/** The disk filled up during an import: how many photos went in, how many did not, and what to do. */
export function diskFullMessage(added: number, missed: number): UserMessage {
  return userMessage(
    'import.diskFull',
    `The disk is full: ${added} photo${added === 1 ? '' : 's'} went in and ${missed} did not. Free some space (or delete photos or projects) and add the rest again.`,
    { count: added, missed },
  );
}

/**
 * Decodes, downscales, hashes and stores images. Every file that cannot be used is named with a
 * reason, and the rest still go in. A full disk stops the import cleanly: what was stored stays.
 */
export async function importImages(
  db: KilnDB,
  target: ImportTarget,
  items: readonly ImportItem[],
  control: ImportControl = {},
): Promise<ImportReport> {
  const refused: RefusedFile[] = [];
  let pending: SampleRecord[] = [];
  let added = 0;
  let stoppedBy: string | null = null;
  let stoppedByMessage: UserMessage | null = null;
  let cancelled = false;
  const baseTime = Date.now();

  const flush = async () => {
    const batch = pending;
    pending = [];
    checkDiskRoom(batch.length);
    await addSamples(db, batch);
    added += batch.length;
  };

  for (let i = 0; i < items.length; i++) {
    if (control.isCancelled?.()) {
      cancelled = true;
      break;
    }
    const item = items[i]!;
    try {
      let sample: SampleRecord;
      if (item.kind === 'file') {
        const { bitmap, bytes, original } = await decodeImageFile(item.file);
        try {
          const hash = await sha256Hex(bytes);
          sample = await sampleFromBitmap(bitmap, target, { name: item.file.name, source: 'file', hash, original });
        } finally {
          bitmap.close();
        }
      } else {
        try {
          sample = await sampleFromBitmap(item.bitmap, target, { name: item.name, source: 'webcam', hash: null });
        } finally {
          item.bitmap.close();
        }
      }
      // Keep the order of the selection even when one batch is written in the same millisecond.
      sample.addedAt = Math.max(sample.addedAt, baseTime + i);
      pending.push(sample);
      if (pending.length >= WRITE_BATCH) await flush();
    } catch (error) {
      if (error instanceof ClassGoneError) throw error; // the import cannot go on; what went in went with the class
      if (isQuotaError(error)) {
        stoppedBy = 'The disk is full';
        break;
      }
      const name = item.kind === 'file' ? item.file.name : item.name;
      const message =
        error instanceof ImageRefusedError
          ? userMessage(error.key, error.message, error.values)
          : userMessage('import.unreadable', `it could not be read (${String(error)})`, { detail: String(error) });
      refused.push({ name, reason: message.text, message });
    }
    control.onProgress?.({ done: i + 1, total: items.length });
  }
  if (!stoppedBy) {
    try {
      await flush();
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      stoppedBy = 'The disk is full';
    }
  }
  if (stoppedBy) {
    stoppedByMessage = diskFullMessage(added, items.length - added - refused.length);
    stoppedBy = stoppedByMessage.text;
  }
  // Release frames never reached (cancelled or stopped); closing twice is harmless.
  for (const item of items) if (item.kind === 'frame') item.bitmap.close();
  return { added, refused, cancelled, stoppedBy, stoppedByMessage };
}

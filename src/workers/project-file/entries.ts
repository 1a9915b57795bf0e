/** The zip's entries: their bytes going in, and reading those the manifest names. */
import { incomplete } from './refusals';

/** The entry `name` (what the manifest calls `what`), or a refusal saying that the file is incomplete. */
export function entry(files: ReadonlyMap<string, Uint8Array>, name: string, what: string): Uint8Array {
  const bytes = files.get(name);
  if (!bytes) throw incomplete(what, name);
  return bytes;
}

/** A copy in its own, exactly sized buffer (so nothing keeps the whole archive alive). */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

export function jpeg(bytes: Uint8Array): Blob {
  return new Blob([ownBuffer(bytes)], { type: 'image/jpeg' });
}

/** The bytes of a buffer or of a view's part of one, without copying. */
export function bytesOf(buffer: ArrayBuffer | ArrayBufferView): Uint8Array {
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

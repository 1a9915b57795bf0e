/** Files with their paths, from a picked folder (webkitdirectory) or folders dropped on the page. */
export interface PathFile {
  path: string;
  file: File;
}

/** From an <input webkitdirectory>: each File knows its path below the picked folder's parent. */
export function pickedFolderFiles(files: FileList | File[]): PathFile[] {
  return Array.from(files, (file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  // readEntries answers in chunks (100 at a time in Chromium) until it answers an empty list.
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((entries) => {
        if (entries.length === 0) resolve(all);
        else {
          all.push(...entries);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: PathFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.replace(/^\//, ''), file });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, out);
  }
}

/** Every file under the folders of a drop, or null when the drop held no folder (plain files). */
export async function droppedFolderFiles(transfer: DataTransfer): Promise<PathFile[] | null> {
  const entries = Array.from(transfer.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => Boolean(e));
  if (!entries.some((e) => e.isDirectory)) return null;
  const out: PathFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

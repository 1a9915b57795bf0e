/** Saves bytes made in the worker as a file, the way a download link would. */
export function saveFile(file: { fileName: string; bytes: Uint8Array }, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; give it a moment before letting it go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// Sizes are written in the current language (digits, unit words): see i18n/format.ts.
export { formatBytes } from './i18n/format';

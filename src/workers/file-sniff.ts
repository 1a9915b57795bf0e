/** What a file is, told by its first bytes rather than its name (names and types lie; phones rename files). */

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** The brands of an ISO base media file's leading "ftyp" box (HEIF, AVIF, MP4…), or null when there is none. */
export function ftypBrands(bytes: Uint8Array): { major: string; compatible: string[] } | null {
  if (bytes.length < 12 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const size = Math.min(bytes.length, (bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!);
  const compatible: string[] = [];
  for (let i = 16; i + 4 <= size; i += 4) compatible.push(ascii(bytes, i, i + 4));
  return { major: ascii(bytes, 8, 12), compatible };
}

/** TIFF: "II*\0" (little-endian) or "MM\0*" (big-endian). */
export function isTiff(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*');
}

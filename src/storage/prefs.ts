import type { KilnDB } from './db';

/** Small per-device settings, such as the measured backend choice. */
export async function getPref<T>(db: KilnDB, key: string): Promise<T | undefined> {
  return (await db.get('prefs', key)) as T | undefined;
}

export async function setPref<T>(db: KilnDB, key: string, value: T): Promise<void> {
  await db.put('prefs', value, key);
}

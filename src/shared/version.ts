/** Kiln's version (package.json's, set by the build), written into every export so a file says what made it. */
export const KILN_VERSION: string = import.meta.env.VITE_KILN_VERSION || 'development';

/**
 * The tfjs bundles the standalone demo page inlines (see demo-page.ts), as text. They are UMD builds:
 * tf-core defines the global `tf`, and layers and the two backends add to it, so they must run in this
 * order. Imported dynamically with Vite's ?raw suffix, so the ~1.2 MB of text is a separate chunk that
 * is only loaded when someone exports a demo.
 */
export async function demoScripts(): Promise<string[]> {
  const modules = await Promise.all([
    import('@tensorflow/tfjs-core/dist/tf-core.min.js?raw'),
    import('@tensorflow/tfjs-layers/dist/tf-layers.min.js?raw'),
    import('@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.min.js?raw'),
    import('@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.min.js?raw'),
  ]);
  return modules.map((module) => module.default);
}

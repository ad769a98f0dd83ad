// Public surface of catalog/render: `opm render` of registry+v1 bundle directories into olm.bundle blobs.
// Everything else in this folder is internal.

export {
  renderBundleDir,
  renderBundleDirDetailed,
  type BundleDirRender,
  type MigrateLevel,
  type RenderBundleDirOptions,
  type RenderedBundle,
  type RenderWarning,
} from './render-bundle-dir.js';
export { type RenderedProperty } from './rendered-property.js';
export { normalizeRendered, normalizeRenderedBundle } from './normalize-rendered.js';

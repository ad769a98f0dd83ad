// Public surface of the OCI image layout store: the factory, the oci:PATH[:REF] parser and the layout's
// index.json helpers other modules (archive, copy) may need. An explicit export list.
export { createLayoutStore, type LayoutStore, type LayoutStoreOptions } from './layout-store.js';
export { parseLayoutReference, formatLayoutReference, type LayoutReference } from './layout-reference.js';
export { REF_NAME_ANNOTATION, isValidRefName } from './layout-index.js';
export { LAYOUT_DEFAULTS } from './defaults.js';
export type { CleanTempFilesOptions } from './temp-files.js';

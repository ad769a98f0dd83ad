// Public surface of the catalog image builder: build and push a catalog image on scratch or any base image, and
// the pure pieces (layer, config, labels) other modules and tests use. An explicit export list.
export { buildCatalogImage, type BuildCatalogImageOptions, type CatalogImageResult, type CatalogImageManifest, type ImageProfile } from './build-catalog-image.js';
export { buildGraphDataImage, GRAPH_DATA_CMD, GRAPH_DATA_DIR, GRAPH_DATA_MOUNT, GRAPH_DATA_RUN, type GraphDataImageOptions } from './graph-data-image.js';
export { type CatalogBase, type ImageFormat } from './base-image.js';
export { buildCatalogLayer, catalogTarEntries, type CatalogLayer, type CatalogLayerOptions, type CatalogTarEntry, type LayerCompression } from './catalog-layer.js';
export { catalogImageConfig, CATALOG_LABELS, type CatalogConfigInput } from './catalog-config.js';
export { CACHE_LABEL, CACHE_LABEL_VALUE, CATALOG_CMD, CATALOG_ENTRYPOINT, CATALOG_IMAGE_DEFAULTS, CONFIGS_DIR, CONFIGS_LABEL, BUNDLE_PACKAGE_LABEL, INDEX_DATABASE_LABEL } from '../catalog/image-defaults.js';

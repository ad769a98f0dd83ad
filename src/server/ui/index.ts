// Public surface of server/ui: the web UI of gantry serve (the page, its assets and its JSON API under /ui/api/),
// built once over the served catalogs and composed in front of catalogd's handler.
import { catalogModelOf, type CatalogQuery } from '../catalog-query.js';
import type { HttpRequest, HttpResponse } from '../http-handler.js';
import { readUiAssets } from './ui-assets.js';
import { buildUiCatalog } from './ui-catalog.js';
import { createUiHandler } from './ui-handler.js';

export { createUiHandler, type UiAsset, type UiHandlerOptions } from './ui-handler.js';
export { buildUiCatalog, type PackageSummary, type UiCatalog } from './ui-catalog.js';
export { layoutChannel, type ChannelLayout } from './graph-layout.js';

export { findUiDir } from './ui-assets.js';

/** The UI's routes over the served catalogs and the built assets in `assetsDir` (findUiDir): built here, once. */
export async function createUiRoutes(catalogs: ReadonlyMap<string, CatalogQuery>, assetsDir: string): Promise<(req: HttpRequest) => HttpResponse | undefined> {
  const assets = await readUiAssets(assetsDir);
  const ui = [...catalogs.values()].map((q) => buildUiCatalog(q.name, catalogModelOf(q)));
  return createUiHandler({ catalogs: ui, assets });
}

// The inputs of a mirror run read from files: the ImageSetConfiguration and each catalog's
// targetCatalogSourceTemplate, checked with file:line issues before anything is planned or copied.
import { readFile } from 'node:fs/promises';
import { GantryError } from '../errors.js';
import { parseImageSetConfig, type ImageSetConfig } from '../config/index.js';
import type { ConfigIssue } from '../config/config-types.js';
import type { CatalogSourceTemplateText } from '../generate/cluster-resources.js';
import { parseCatalogSourceTemplate, type CatalogSourceTemplateIssue } from '../generate/catalog-source-template.js';

/** An issue of an input file, with file:line:column. */
export type InputIssue = ConfigIssue | CatalogSourceTemplateIssue;

export interface MirrorInputs {
  config: ImageSetConfig;
  /** The configuration as written (archives keep a copy). */
  text: string;
  /** targetCatalogSourceTemplate of each operator catalog that has one, by catalog. */
  templates: Map<string, CatalogSourceTemplateText>;
}

async function readInput(file: string, what: string, hint?: string): Promise<string> {
  return readFile(file, 'utf8').catch((err: unknown) => {
    throw new GantryError('USAGE', `cannot read ${what}`, { cause: err, ...(hint ? { hint } : {}) });
  });
}

/** Reads and checks the configuration and its templates; every issue goes to onIssue, then errors throw. */
export async function loadMirrorInputs(file: string, onIssue: (i: InputIssue) => void = () => undefined): Promise<MirrorInputs> {
  const text = await readInput(file, file);
  const parsed = parseImageSetConfig(text, file);
  for (const i of parsed.issues) onIssue(i);
  if (!parsed.config) throw new GantryError('CONFIG_INVALID', `${file} is not a valid ImageSetConfiguration`);
  const templates = new Map<string, CatalogSourceTemplateText>();
  let errors = 0;
  for (const op of parsed.config.mirror?.operators ?? []) {
    const tfile = op.targetCatalogSourceTemplate;
    if (!tfile) continue;
    const ttext = await readInput(tfile, `targetCatalogSourceTemplate ${tfile} (catalog ${op.catalog})`, 'the path is relative to the directory gantry runs in');
    const t = parseCatalogSourceTemplate(ttext, tfile);
    for (const i of t.issues) onIssue(i);
    if (!t.template) errors++;
    templates.set(op.catalog, { text: ttext, file: tfile });
  }
  if (errors > 0) throw new GantryError('CONFIG_INVALID', `${errors} CatalogSource template${errors === 1 ? ' is' : 's are'} not valid; nothing was copied`);
  return { config: parsed.config, text, templates };
}

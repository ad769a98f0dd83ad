// Public surface of catalog/graph: the upgrade graph of a catalog drawn as opm draws it (Mermaid).
// Everything else in this folder is internal.

export { renderMermaidGraph, type MermaidOptions } from './mermaid.js';
export { GraphError, type GraphErrorCode } from './graph-error.js';
export { sortSliceGo, type XorshiftVariant } from './go-sort.js';

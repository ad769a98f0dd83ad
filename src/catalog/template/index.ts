// Public surface of catalog/template: reading opm's catalog templates (basic, semver) and expanding them into a
// DeclarativeConfig with a caller-supplied bundle renderer. Everything else in this folder is internal.

export { parseTemplate, renderTemplate, type ParseTemplateOptions, type ParseTemplateResult, type Template, type TemplateType } from './parse-template.js';
export { BASIC_SCHEMA, expandBasicTemplate, isBundleTemplate, type BasicTemplate } from './basic.js';
export { expandSemverTemplate, SEMVER_SCHEMA, type SemverBundleRef, type SemverTemplate } from './semver.js';
export {
  CHANNEL_ARCHETYPES,
  channelNameFromMajor,
  channelNameFromMinor,
  generateSemverChannels,
  type ChannelArchetype,
  type SemverChannelInput,
  type SemverChannels,
  type StreamKind,
} from './semver-channels.js';
export { csvOfBundle, packageMetadataFromCsv, type PackageMetadata } from './csv-metadata.js';
export { DEFAULT_RENDER_CONCURRENCY, type ExpandOptions, type TemplateDeps } from './render-bundles.js';
export { TemplateError, type TemplateErrorCode, type TemplateIssue } from './template-error.js';

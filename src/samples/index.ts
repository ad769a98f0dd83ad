// The samples module's public surface (issue 12): the model, the readers, samplesRegistry's rewrite rule.
// Selection and the mirror plan are exported from here as they land.
export * from './samples-model.js';
export { readSamplesFile, readSamplesTree, combineSamples, architectureOfPath, type SamplesTree } from './read-samples.js';
export { splitConfigMapKey, IST_TO_IMAGE_CONFIGMAP, OPERATOR_NAMESPACE } from './read-configmap.js';
export { SAMPLES_NAMESPACE } from './read-templates.js';
export { checkPullSpec, registryHost, isImageStreamName, isTagName } from './pull-spec.js';
export { operatorPullSpec, parseSamplesMirror, OPERATOR_REWRITTEN_HOSTS, type SamplesMirror } from './samples-registry.js';

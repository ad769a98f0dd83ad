// The samples module's public surface (issue 12): the model, the readers, samplesRegistry's rewrite rule.
// selection, and the mirror plan (entries, images with their destinations, the ImageSetConfiguration fragment).
export * from './samples-model.js';
export { readSamplesFile, readSamplesTree, combineSamples, architectureOfPath, type SamplesTree } from './read-samples.js';
export { splitConfigMapKey, IST_TO_IMAGE_CONFIGMAP, OPERATOR_NAMESPACE } from './read-configmap.js';
export { SAMPLES_NAMESPACE } from './read-templates.js';
export { checkPullSpec, registryHost, isImageStreamName, isTagName } from './pull-spec.js';
export { operatorPullSpec, parseSamplesMirror, OPERATOR_REWRITTEN_HOSTS, type SamplesMirror } from './samples-registry.js';
export { selectSamples, parseLanguage, languageOf, S2I_LANGUAGES, type SamplesSelection } from './select-samples.js';
export { planSamples, imageSetFragment, ISC_API_VERSION, type PlannedImage, type SamplesPlan } from './plan-samples.js';

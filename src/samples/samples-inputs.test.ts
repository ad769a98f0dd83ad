import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SampleImageStream, SampleTag, SamplesSet } from './samples-model.js';
import { samplesCheckInputs } from './samples-inputs.js';

const tag = (imagestream: string, name: string, image?: string): SampleTag => ({
  imagestream,
  tag: name,
  from: image ? { kind: 'DockerImage', name: image } : { kind: 'ImageStreamTag', name: 'nowhere' },
  ...(image ? { image } : {}),
  labels: [],
  hidden: false,
  at: { file: 'f' },
});
const stream = (name: string, tags: SampleTag[], architecture?: 'x86_64' | 'aarch64'): SampleImageStream => ({ name, tags, at: { file: 'f' }, input: 'assets', ...(architecture ? { architecture } : {}) });

test('samples-inputs/tags once across architectures, unresolved tags and payload imagestreams left out', () => {
  const set: SamplesSet = {
    imagestreams: [
      stream('ruby', [tag('ruby', '3.3', 'r.io/ubi9/ruby-33:1'), tag('ruby', 'dangling')], 'x86_64'),
      stream('ruby', [tag('ruby', '3.3', 'r.io/ubi9/ruby-33:1')], 'aarch64'),
      stream('must-gather', [tag('must-gather', 'latest', 'quay.io/openshift/origin-must-gather:v4.0')]),
      stream('cli', [tag('cli', 'latest', 'quay.io/openshift/origin-cli:v4.0')]),
    ],
    templates: [
      { name: 'rails', references: [{ imagestream: 'ruby', tag: '3.3', object: 'BuildConfig/x', at: { file: 't' } }, { imagestream: 'mysql', tag: '8', object: 'DeploymentConfig/db', at: { file: 't' } }], at: { file: 't' } },
    ],
    issues: [],
  };
  const r = samplesCheckInputs(set);
  assert.deepEqual(r.tags, [{ imagestream: 'ruby', tag: '3.3', image: 'r.io/ubi9/ruby-33:1' }]);
  assert.deepEqual(r.templates, [{ name: 'rails', imagestreams: ['mysql', 'ruby'] }]);
  assert.deepEqual(r.architectures, ['aarch64', 'x86_64']);
  assert.deepEqual(r.payloadImagestreams, ['cli', 'must-gather']);
});

test('samples-inputs/no templates in the input: no template list (skippedTemplates cannot be computed)', () => {
  assert.equal(samplesCheckInputs({ imagestreams: [], templates: [], issues: [] }).templates, undefined);
});

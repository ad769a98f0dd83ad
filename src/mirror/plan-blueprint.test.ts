import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference } from '../oci/reference.js';
import type { PlannedImage } from './plan-mirror.js';
import { relatedNamesOf } from './plan-blueprint.js';

test('plan-blueprint/relatedImages names come from the plan reasons; bundles and additional images carry none', () => {
  const planned = (ref: string, reasons: PlannedImage['reasons']): PlannedImage => ({ source: parseReference(ref, { defaultTag: null }), dest: parseReference('m.io/x:1'), naming: {}, kind: 'operator', reasons });
  const reason = (as: string, bundle = 'op.v1') => ({ catalog: 'c', package: 'op', channels: ['stable'], bundle, as });
  const names = relatedNamesOf([
    planned('q.io/a/operand:1', [reason('operand-ppc64le'), reason('operand', 'op.v2')]),
    planned('q.io/a/bundle:1', [reason('bundle')]),
    planned('q.io/a/extra:1', [{ additionalImage: 'q.io/a/extra:1' }]),
  ]);
  assert.deepEqual([...names], [['q.io/a/operand:1', ['operand-ppc64le', 'operand']]]);
});

// The deprecation conditions a ClusterExtension would show (operator-controller SetDeprecationStatus): package,
// channel, bundle and the rollup, with operator-controller's reasons and messages.
import type { ModelPackage } from '../catalog/model/catalog-model.js';
import type { Condition } from './types.js';

/**
 * `pkg` is the package in the catalog the bundle came from (undefined: no catalog data). Channels: the spec's,
 * or every deprecated channel when the spec names none. `bundle`: the bundle that would be installed.
 */
export function buildDeprecationConditions(pkg: ModelPackage | undefined, channels: readonly string[], bundle: string | undefined): Condition[] {
  if (!pkg) {
    const unknown = (type: Condition['type']): Condition => ({ type, status: 'Unknown', reason: 'DeprecationStatusUnknown', message: 'deprecation status unknown: catalog data unavailable' });
    return [unknown('Deprecated'), unknown('PackageDeprecated'), unknown('ChannelDeprecated'), unknown('BundleDeprecated')];
  }
  const packageMessages = pkg.deprecated ? [pkg.deprecated] : [];
  const channelMessages: string[] = [];
  const names = channels.length > 0 ? channels : [...pkg.channels.keys()];
  for (const name of names) {
    const message = pkg.channels.get(name)?.deprecated;
    if (message) channelMessages.push(message);
  }
  const bundleMessage = bundle === undefined ? undefined : pkg.deprecatedBundles.get(bundle);
  const one = (type: Condition['type'], messages: string[], notDeprecated: string): Condition =>
    messages.length > 0
      ? { type, status: 'True', reason: 'Deprecated', message: messages.join('\n') }
      : { type, status: 'False', reason: 'NotDeprecated', message: notDeprecated };
  const bundleCondition: Condition =
    bundle === undefined
      ? { type: 'BundleDeprecated', status: 'Unknown', reason: 'Absent', message: 'no bundle installed yet' }
      : one('BundleDeprecated', bundleMessage ? [bundleMessage] : [], 'bundle not deprecated');
  return [
    one('Deprecated', [...packageMessages, ...channelMessages, ...(bundleMessage ? [bundleMessage] : [])], 'not deprecated'),
    one('PackageDeprecated', packageMessages, 'package not deprecated'),
    one('ChannelDeprecated', channelMessages, 'channel not deprecated'),
    bundleCondition,
  ];
}

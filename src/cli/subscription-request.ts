// What `install plan` resolves for OLM v0: a Subscription's fields from -f sub.yaml or from flags (--package,
// --channel, --starting-csv, --source, --installed), checked against the catalogs named before any is loaded.
import { GantryError } from '../errors.js';
import { parseSubscription, type SubscriptionSpec } from '../config/index.js';
import type { SubscriptionOptions } from '../install/index.js';
import type { CliContext } from './context.js';
import { describeIssue } from './delete-report.js';

export interface V0Flags {
  package?: string;
  channel: string[];
  version?: string;
  upgradeConstraintPolicy?: string;
  startingCsv?: string;
  source?: string;
  installed?: string;
}

/** The resolver's options, plus the parsed Subscription (namespace, sourceNamespace) for the manifests -o yaml will print. */
export interface V0Request {
  options: Omit<SubscriptionOptions, 'catalogs'>;
  approval?: SubscriptionSpec['installPlanApproval'];
  spec?: SubscriptionSpec;
}

const usage = (message: string, hint?: string) => new GantryError('USAGE', message, hint ? { hint } : {});

export function subscriptionFromFlags(opts: V0Flags, catalogs: string[]): V0Request {
  if (opts.package === undefined) throw usage('give the package: --package P, or -f subscription.yaml');
  if (opts.channel.length > 1) throw usage('a Subscription has one channel: give --channel once with --olm v0');
  if (opts.version !== undefined || opts.upgradeConstraintPolicy !== undefined) {
    throw usage('--version and --upgrade-constraint-policy are ClusterExtension fields; OLM v0 has neither', 'use --starting-csv for the first bundle, or drop --olm v0');
  }
  if (opts.source !== undefined && !catalogs.includes(opts.source)) {
    throw usage(`--source "${opts.source}" names none of the catalogs given`, `catalogs: ${catalogs.join(', ')}; name one after the CatalogSource: ${opts.source}=SOURCE`);
  }
  const options = {
    package: opts.package,
    ...(opts.channel[0] ? { channel: opts.channel[0] } : {}),
    ...(opts.startingCsv !== undefined ? { startingCSV: opts.startingCsv } : {}),
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    ...(opts.installed !== undefined ? { installed: opts.installed } : {}),
  };
  return { options };
}

export function subscriptionFromFile(text: string, file: string, opts: V0Flags, catalogs: string[], ctx: CliContext): V0Request {
  if (opts.package !== undefined || opts.channel.length > 0 || opts.startingCsv !== undefined || opts.source !== undefined || opts.version !== undefined || opts.upgradeConstraintPolicy !== undefined) {
    throw usage('-f takes package, channel, startingCSV and source from the Subscription', 'drop --package, --channel, --starting-csv, --source, --version and --upgrade-constraint-policy, or drop -f');
  }
  const parsed = parseSubscription(text, file);
  for (const i of parsed.issues) ctx.stderr.write(`${describeIssue(i)}\n`);
  if (!parsed.spec) throw new GantryError('CONFIG_INVALID', `${file} is not a valid Subscription`);
  const spec = parsed.spec;
  if (!catalogs.includes(spec.source)) {
    throw new GantryError('CONFIG_INVALID', `${file}:${spec.sourceLine}: spec.source: "${spec.source}" names none of the catalogs given (${catalogs.join(', ')})`, {
      hint: `name the catalog after the CatalogSource: ${spec.source}=SOURCE`,
    });
  }
  const options = {
    package: spec.package,
    source: spec.source,
    ...(spec.name ? { name: spec.name } : {}),
    ...(spec.channel ? { channel: spec.channel } : {}),
    ...(spec.startingCSV ? { startingCSV: spec.startingCSV } : {}),
    ...(opts.installed !== undefined ? { installed: opts.installed } : {}),
  };
  return { options, approval: spec.installPlanApproval, spec };
}

// The web UI of gantry serve: catalogs → packages (search and filters) → channels (upgrade graphs) → bundles,
// and "plan an install". One Preact app; the location hash is the route, so every view has a link.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, getJson, RequestError, type BundleDetail, type CatalogsResponse, type ChannelLayout, type PackageDetail, type PackageSummary, type PlanResponse } from './api';
import { ChannelGraph } from './graph';

// ---- routing: #/c/CATALOG, #/c/CATALOG/p/PACKAGE?tab=graph|bundles|plan&ch=CHANNEL&b=BUNDLE

interface Route {
  catalog?: string;
  pkg?: string;
  params: URLSearchParams;
}

function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const route: Route = { params: new URLSearchParams(query) };
  if (parts[0] === 'c' && parts[1]) route.catalog = parts[1];
  if (parts[2] === 'p' && parts[3]) route.pkg = parts[3];
  return route;
}

function href(catalog: string, pkg?: string, params?: Record<string, string | undefined>): string {
  let h = `#/c/${encodeURIComponent(catalog)}`;
  if (pkg) h += `/p/${encodeURIComponent(pkg)}`;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${h}?${s}` : h;
}

function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return useMemo(() => parseHash(hash), [hash]);
}

/** Loads `url` (cached); null while loading. */
function useJson<T>(url: string | null): { data: T | null; error: RequestError | Error | null } {
  const [state, setState] = useState<{ url: string | null; data: T | null; error: Error | null }>({ url: null, data: null, error: null });
  useEffect(() => {
    if (!url) return;
    let live = true;
    getJson<T>(url).then(
      (data) => live && setState({ url, data, error: null }),
      (error: Error) => live && setState({ url, data: null, error }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return state.url === url ? state : { data: null, error: null };
}

// ---- small pieces

const MODES = ['AllNamespaces', 'OwnNamespace', 'SingleNamespace', 'MultiNamespace'];
const MODE_SHORT: Record<string, string> = { AllNamespaces: 'All', OwnNamespace: 'Own', SingleNamespace: 'Single', MultiNamespace: 'Multi' };

function ErrorBox({ error }: { error: Error }) {
  const e = error as RequestError;
  return (
    <div class="error-box" role="alert">
      <strong>{e.code ? `error[${e.code}]` : 'error'}</strong> {e.message}
      {e.hint && <div class="hint">hint: {e.hint}</div>}
    </div>
  );
}

function Icon({ catalog, pkg, has }: { catalog: string; pkg: PackageSummary | undefined; has: boolean }) {
  if (!pkg || !has) return <span class="icon icon-none">{(pkg?.displayName ?? pkg?.name ?? '?').slice(0, 1).toUpperCase()}</span>;
  return <img class="icon" src={api.icon(catalog, pkg.name)} alt="" loading="lazy" decoding="async" />;
}

function Olm1Badge({ p }: { p: PackageSummary }) {
  if (p.olmV1 === true) return <span class="badge badge-ok" title="OLM v1 would install the head bundle (from the catalog alone)">OLM v1 ✓</span>;
  if (p.olmV1 === false) return <span class="badge badge-no" title={p.olmV1Reason ?? ''}>OLM v1 ✗</span>;
  return <span class="badge badge-muted" title="the catalog does not say enough (install modes or webhooks unknown)">OLM v1 ?</span>;
}

// ---- the package list

interface Filters {
  q: string;
  mode: string;
  webhooks: string;
  olmV1: string;
  deprecated: string;
  api: string;
}

const NO_FILTERS: Filters = { q: '', mode: '', webhooks: '', olmV1: '', deprecated: '', api: '' };

const tri = (v: boolean | null, want: string) => want === '' || (want === 'yes' ? v === true : want === 'no' ? v === false : v === null);

function matches(p: PackageSummary, f: Filters): boolean {
  if (f.q) {
    const hay = `${p.name}\n${p.displayName ?? ''}\n${p.summary}`.toLowerCase();
    if (!f.q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w))) return false;
  }
  if (f.mode && !(p.installModes ?? []).includes(f.mode)) return false;
  if (!tri(p.webhooks, f.webhooks) || !tri(p.olmV1, f.olmV1)) return false;
  if (f.deprecated === 'hide' && p.deprecated) return false;
  if (f.deprecated === 'only' && !p.deprecated && p.deprecatedBundles === 0) return false;
  if (f.api) {
    const a = f.api.toLowerCase();
    if (!p.apis.some((x) => x.toLowerCase().includes(a))) return false;
  }
  return true;
}

function Select({ label, value, options, onChange, name }: { label: string; value: string; options: [string, string][]; onChange: (v: string) => void; name: string }) {
  return (
    <label class="filter">
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map(([v, t]) => (
          <option key={v} value={v}>
            {t}
          </option>
        ))}
      </select>
    </label>
  );
}

function PackageList({ catalog }: { catalog: string }) {
  const { data, error } = useJson<{ packages: PackageSummary[] }>(api.packages(catalog));
  const [f, setF] = useState<Filters>(NO_FILTERS);
  const set = (k: keyof Filters) => (v: string) => setF((old) => ({ ...old, [k]: v }));
  const shown = useMemo(() => (data ? data.packages.filter((p) => matches(p, f)) : []), [data, f]);
  useEffect(() => {
    // When the first page is on screen (navigation start → list rendered): the tests hold it under a second.
    if (data && performance.getEntriesByName('gantry:list').length === 0) performance.mark('gantry:list');
  }, [data]);
  if (error) return <ErrorBox error={error} />;
  const yesNo: [string, string][] = [['', 'any'], ['yes', 'yes'], ['no', 'no'], ['unknown', 'unknown']];
  return (
    <div class="list-page">
      <aside class="filters" aria-label="filters">
        <label class="filter search">
          <span>Search</span>
          <input type="search" name="q" placeholder="name, display name, description" value={f.q} onInput={(e) => set('q')((e.target as HTMLInputElement).value)} autofocus />
        </label>
        <Select name="mode" label="Install mode" value={f.mode} onChange={set('mode')} options={[['', 'any'], ...MODES.map((m): [string, string] => [m, m])]} />
        <Select name="webhooks" label="Webhooks" value={f.webhooks} onChange={set('webhooks')} options={yesNo} />
        <Select name="olmV1" label="OLM v1 installable" value={f.olmV1} onChange={set('olmV1')} options={yesNo} />
        <Select name="deprecated" label="Deprecated" value={f.deprecated} onChange={set('deprecated')} options={[['', 'show'], ['hide', 'hide deprecated packages'], ['only', 'only with deprecations']]} />
        <label class="filter">
          <span>Provides API (kind or group)</span>
          <input type="search" name="api" placeholder="e.g. Kafka, cert-manager.io" value={f.api} onInput={(e) => set('api')((e.target as HTMLInputElement).value)} />
        </label>
        <button type="button" class="link-button" onClick={() => setF(NO_FILTERS)}>
          clear filters
        </button>
        <p class="filter-note">Facts are those of each package's default channel head. OLM v1: the default target, from the catalog alone.</p>
      </aside>
      <section class="packages">
        <div class="count" aria-live="polite">
          {data ? `${shown.length} of ${data.packages.length} packages` : 'Loading packages…'}
        </div>
        <ul class="package-list">
          {shown.slice(0, 400).map((p) => (
            <li key={p.name} class="package-row" data-package={p.name}>
              <a href={href(catalog, p.name)}>
                <Icon catalog={catalog} pkg={p} has={p.icon} />
                <div class="pkg-main">
                  <div class="pkg-title">
                    <span class="pkg-display">{p.displayName ?? p.name}</span>
                    <span class="pkg-name">{p.name}</span>
                    {p.deprecated && <span class="badge badge-deprecated">deprecated</span>}
                  </div>
                  <div class="pkg-summary">{p.summary}</div>
                  <div class="pkg-facts">
                    <span class="fact">{p.version ?? 'no head'}</span>
                    <span class="fact">
                      {p.channels} channel{p.channels === 1 ? '' : 's'} · {p.bundles} bundle{p.bundles === 1 ? '' : 's'}
                    </span>
                    {(p.installModes ?? []).map((m) => (
                      <span key={m} class="badge badge-mode" title={m}>
                        {MODE_SHORT[m] ?? m}
                      </span>
                    ))}
                    {p.webhooks && <span class="badge badge-muted">webhooks</span>}
                    <Olm1Badge p={p} />
                    {p.apis.length > 0 && <span class="fact" title={p.apis.join('\n')}>{p.apis.length} API{p.apis.length === 1 ? '' : 's'}</span>}
                  </div>
                </div>
              </a>
            </li>
          ))}
        </ul>
        {shown.length > 400 && <p class="more">{shown.length - 400} more: narrow the search.</p>}
      </section>
    </div>
  );
}

// ---- a package

function PackagePage({ catalog, pkg, params }: { catalog: string; pkg: string; params: URLSearchParams }) {
  const { data, error } = useJson<PackageDetail>(api.pkg(catalog, pkg));
  const tab = params.get('tab') ?? 'graph';
  const bundle = params.get('b');
  const link = (over: Record<string, string | undefined>) => href(catalog, pkg, { tab, ch: params.get('ch') ?? undefined, b: bundle ?? undefined, ...over });
  if (error) return <ErrorBox error={error} />;
  if (!data) return <p class="loading">Loading {pkg}…</p>;
  const s = data.summary;
  const channel = params.get('ch') ?? data.defaultChannel;
  return (
    <div class="package-page">
      <nav class="crumbs">
        <a href={href(catalog)}>{catalog}</a> / <span>{pkg}</span>
      </nav>
      <header class="pkg-header">
        <Icon catalog={catalog} pkg={s} has={s?.icon ?? false} />
        <div>
          <h1>
            {s?.displayName ?? data.name} <span class="pkg-name">{data.name}</span>
          </h1>
          <div class="pkg-facts">
            <span class="fact">default channel {data.defaultChannel}</span>
            <span class="fact">head {s?.head ?? '—'}</span>
            {s && <Olm1Badge p={s} />}
            {(s?.installModes ?? []).map((m) => (
              <span key={m} class="badge badge-mode">
                {m}
              </span>
            ))}
          </div>
          {data.deprecated && <div class="deprecation">Deprecated: {data.deprecated}</div>}
          {s?.olmV1 === false && s.olmV1Reason && <div class="olm-reason">OLM v1 would refuse the head: {s.olmV1Reason}</div>}
          {s?.summary && <p class="pkg-summary">{s.summary}</p>}
          {data.description && data.description.trim() !== s?.summary && (
            <details class="description">
              <summary>Description</summary>
              <div class="description-text">{data.description}</div>
            </details>
          )}
        </div>
      </header>
      <nav class="tabs" role="tablist">
        {[
          ['graph', 'Channels & upgrade graph'],
          ['bundles', `Bundles (${data.bundles.length})`],
          ['plan', 'Plan an install'],
        ].map(([id, label]) => (
          <a key={id} role="tab" aria-selected={tab === id} class={tab === id ? 'tab active' : 'tab'} href={link({ tab: id })}>
            {label}
          </a>
        ))}
      </nav>
      <div class="pkg-body">
        <div class="pkg-main-pane">
          {tab === 'graph' && <GraphTab catalog={catalog} data={data} channel={channel} bundle={bundle} link={link} />}
          {tab === 'bundles' && <BundlesTab data={data} bundle={bundle} link={link} />}
          {tab === 'plan' && <PlanTab catalog={catalog} data={data} />}
        </div>
        {bundle && tab !== 'plan' && <BundlePanel catalog={catalog} pkg={pkg} bundle={bundle} close={link({ b: undefined })} />}
      </div>
    </div>
  );
}

function GraphTab({ catalog, data, channel, bundle, link }: { catalog: string; data: PackageDetail; channel: string; bundle: string | null; link: (o: Record<string, string | undefined>) => string }) {
  const { data: layout, error } = useJson<ChannelLayout>(data.channels.some((c) => c.name === channel) ? api.graph(catalog, data.name, channel) : null);
  const info = data.channels.find((c) => c.name === channel);
  return (
    <div>
      <div class="channels" aria-label="channels">
        {data.channels.map((c) => (
          <a key={c.name} href={link({ ch: c.name })} class={`chip${c.name === channel ? ' active' : ''}${c.deprecated ? ' chip-deprecated' : ''}`} title={c.deprecated ?? `${c.entries} entries, head ${c.head ?? '—'}`}>
            {c.name}
            {c.name === data.defaultChannel && <span class="chip-note">default</span>}
            <span class="chip-count">{c.entries}</span>
          </a>
        ))}
      </div>
      {!info && <ErrorBox error={new RequestError(`channel ${channel} is not in ${data.name}`, 'NOT_FOUND')} />}
      {info && (
        <div class="graph-head">
          <strong>{info.name}</strong>: {info.entries} bundles, head <code class="head-name">{info.head ?? '—'}</code>
          {info.heads.length > 1 && <span class="badge badge-warn"> {info.heads.length} head candidates: opm would refuse this channel</span>}
          {info.deprecated && <div class="deprecation">Channel deprecated: {info.deprecated}</div>}
          <div class="legend">
            <span class="lg lg-head">head</span>
            <span class="lg lg-replaces">replaces</span>
            <span class="lg lg-skips">skips</span>
            <span class="lg lg-range">skipRange (hover a bundle: the bundles it covers)</span>
            <span class="lg lg-deprecated">deprecated</span>
          </div>
        </div>
      )}
      {error && <ErrorBox error={error} />}
      {info && !layout && !error && <p class="loading">Drawing…</p>}
      {layout && <ChannelGraph layout={layout} selected={bundle} onSelect={(b) => (location.hash = link({ b }))} />}
    </div>
  );
}

function BundlesTab({ data, bundle, link }: { data: PackageDetail; bundle: string | null; link: (o: Record<string, string | undefined>) => string }) {
  return (
    <table class="bundles">
      <thead>
        <tr>
          <th>Version</th>
          <th>Bundle</th>
          <th>Install modes</th>
          <th>Webhooks</th>
          <th>Dependencies</th>
          <th>Related images</th>
        </tr>
      </thead>
      <tbody>
        {data.bundles.map((b) => (
          <tr key={b.name} class={`${b.name === bundle ? 'is-selected' : ''}${b.deprecated ? ' is-deprecated' : ''}`}>
            <td>{b.version}</td>
            <td>
              <a href={link({ b: b.name })}>{b.name}</a>
              {b.deprecated && <span class="badge badge-deprecated">deprecated</span>}
            </td>
            <td>{b.installModes ? b.installModes.map((m) => MODE_SHORT[m] ?? m).join(', ') : '?'}</td>
            <td>{b.webhooks === null ? '?' : b.webhooks ? (b.webhookTypes ?? []).join(', ') || 'yes' : 'no'}</td>
            <td>{b.dependencies.join(', ') || '—'}</td>
            <td>{b.relatedImages}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BundlePanel({ catalog, pkg, bundle, close }: { catalog: string; pkg: string; bundle: string; close: string }) {
  const { data, error } = useJson<BundleDetail>(api.bundle(catalog, pkg, bundle));
  return (
    <aside class="bundle-panel" aria-label="bundle">
      <a class="close" href={close} aria-label="close">
        ×
      </a>
      {error && <ErrorBox error={error} />}
      {!data && !error && <p class="loading">Loading {bundle}…</p>}
      {data && (
        <div>
          <h2>{data.name}</h2>
          {data.deprecated && <div class="deprecation">Deprecated: {data.deprecated}</div>}
          <dl class="facts">
            <dt>Version</dt>
            <dd>{data.version || '—'}</dd>
            <dt>Image</dt>
            <dd>
              <code>{data.image || '(none)'}</code>
            </dd>
            <dt>Install modes</dt>
            <dd>{data.installModes?.join(', ') ?? 'unknown'}</dd>
            <dt>Webhooks</dt>
            <dd>{data.webhooks === null ? 'unknown (the catalog does not say)' : data.webhooks ? (data.webhookTypes ?? []).join(', ') : 'none'}</dd>
            <dt>Dependencies</dt>
            <dd>{data.dependencies.join(', ') || 'none'}</dd>
          </dl>
          <h3>Related images ({data.relatedImages.length})</h3>
          <ul class="images">
            {data.relatedImages.map((r, i) => (
              <li key={i}>
                {r.name && <span class="img-name">{r.name}</span>}
                <code>{r.image}</code>
              </li>
            ))}
          </ul>
          <h3>Properties ({data.properties.length})</h3>
          <ul class="props">
            {data.properties.map((p, i) => (
              <li key={i}>
                <details open={p.type === 'olm.package'}>
                  <summary>
                    <code>{p.type}</code> <span class="prop-preview">{preview(p.value)}</span>
                  </summary>
                  <pre>{JSON.stringify(p.value, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  );
}

function preview(v: unknown): string {
  const s = JSON.stringify(v) ?? '';
  return s.length > 90 ? `${s.slice(0, 90)}…` : s;
}

// ---- plan an install

function PlanTab({ catalog, data }: { catalog: string; data: PackageDetail }) {
  const { data: info } = useJson<CatalogsResponse>(api.catalogs());
  const [q, setQ] = useState({ channel: '', version: '', olmVersion: '', namespace: '' });
  const [debounced, setDebounced] = useState(q);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q), 250);
    return () => clearTimeout(t);
  }, [q]);
  const olmVersion = debounced.olmVersion || info?.defaultOlmVersion || '';
  const url = olmVersion ? api.plan(catalog, { package: data.name, ...debounced, olmVersion }) : null;
  const { data: plan, error } = useJson<PlanResponse>(url);
  const set = (k: keyof typeof q) => (e: Event) => setQ((old) => ({ ...old, [k]: (e.target as HTMLInputElement).value }));
  return (
    <div class="plan">
      <form class="plan-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Channel</span>
          <select name="channel" value={q.channel} onChange={set('channel')}>
            <option value="">any channel</option>
            {data.channels.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
                {c.name === data.defaultChannel ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Version range</span>
          <input name="version" placeholder="any, or e.g. >=1.2.0 <2.0.0" value={q.version} onInput={set('version')} />
        </label>
        <label>
          <span>OLM v1 release</span>
          <select name="olmVersion" value={olmVersion} onChange={set('olmVersion')}>
            {(info?.olmVersions ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
                {v === info?.defaultOlmVersion ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Namespace</span>
          <input name="namespace" placeholder={data.name} value={q.namespace} onInput={set('namespace')} />
        </label>
      </form>
      <p class="plan-note">
        What OLM v1 would choose for a ClusterExtension with these fields, as <code>gantry install plan {catalog}=… --package {data.name}</code> resolves it, from this catalog alone.
      </p>
      {error && <ErrorBox error={error} />}
      {!plan && !error && <p class="loading">Resolving…</p>}
      {plan && <PlanResult plan={plan} channel={debounced.channel} range={debounced.version} />}
    </div>
  );
}

/** operator-controller's filters in the order it applies them, in words. */
const REASONS: [string, string][] = [
  ['channel', 'not in the asked channel'],
  ['outside-range', 'outside the version range'],
  ['not-successor', 'not an upgrade from the installed bundle'],
  ['deprecated', 'deprecated, where a bundle that is not deprecated qualifies'],
  ['lower-version', 'lower versions'],
  ['other-catalog', 'lost to another catalog'],
];

function PlanResult({ plan, channel, range }: { plan: PlanResponse; channel: string; range: string }) {
  const { resolution: r, check, set } = plan;
  const byReason = new Map<string, PlanResponse['resolution']['rejected']>(REASONS.map(([k]) => [k, []]));
  for (const x of r.rejected) byReason.set(x.reason, [...(byReason.get(x.reason) ?? []), x]);
  const groups = [...byReason].filter(([, list]) => list.length > 0);
  const label = (reason: string) => REASONS.find(([k]) => k === reason)?.[1] ?? reason.replace(/-/g, ' ');
  const candidates = 1 + (byReason.get('lower-version')?.length ?? 0) + (byReason.get('deprecated')?.length ?? 0);
  return (
    <div class="plan-result">
      {r.bundle ? (
        <div class="chosen" data-chosen={r.bundle.name}>
          <div class="chosen-label">OLM v1 would install</div>
          <div class="chosen-name">{r.bundle.name}</div>
          <div>
            version <strong class="chosen-version">{r.bundle.version}</strong> from catalog {r.bundle.catalog}
          </div>
          <code class="chosen-image">{r.bundle.image}</code>
        </div>
      ) : (
        <div class="chosen none">
          <div class="chosen-label">Nothing resolves</div>
          <div class="resolution-error">{r.error}</div>
        </div>
      )}
      <h3>Why</h3>
      <ul class="why">
        {r.bundle && (
          <li class="why-choice">
            Of the {candidates} bundle{candidates === 1 ? '' : 's'} in {channel ? `channel ${channel}` : 'any channel'}
            {range ? ` within ${range}` : ''}, {r.bundle.name} has the highest version{(byReason.get('deprecated')?.length ?? 0) > 0 ? ' that is not deprecated' : ''}: OLM v1 ranks bundles that are not deprecated first, then by version.
          </li>
        )}
        {groups.map(([reason, list]) => (
          <li key={reason} data-reason={reason}>
            <details>
              <summary>
                {list.length} {label(reason)}: {list.slice(0, 3).map((x) => x.version || x.bundle).join(', ')}
                {list.length > 3 ? ', …' : ''}
              </summary>
              <ul>
                {list.map((x) => (
                  <li key={`${x.catalog}/${x.bundle}`}>
                    <code>{x.bundle}</code> {x.version}: {x.detail}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
        {r.conditions.map((c) => (
          <li key={c.type} class={c.status === 'True' ? 'cond-true' : ''}>
            {c.type}={c.status} ({c.reason}){c.message ? `: ${c.message}` : ''}
          </li>
        ))}
      </ul>
      {check && (
        <div class={`check check-${check.installable === null ? 'unknown' : check.installable ? 'ok' : 'no'}`}>
          <strong>Install check (OLM v1 {check.olmVersion}):</strong> {check.installable === null ? 'unknown' : check.installable ? 'installable' : 'not installable'}
          <ul>
            {check.reasons.map((x) => (
              <li key={x.code + x.message}>
                {x.code}: {x.message}
              </li>
            ))}
            {check.notes.map((n) => (
              <li key={n} class="note">
                note: {n}
              </li>
            ))}
          </ul>
        </div>
      )}
      {set && 'yaml' in set && <YamlBlock yaml={set.yaml} />}
      {set && 'refused' in set && (
        <div class="yaml-refused">
          <h3>YAML to apply</h3>
          <ErrorBox error={new RequestError(set.refused.message, set.refused.code, set.refused.hint)} />
        </div>
      )}
    </div>
  );
}

function YamlBlock({ yaml }: { yaml: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(yaml);
    } catch {
      // No clipboard API (a non-local http origin): select the text and use the legacy command.
      const area = document.createElement('textarea');
      area.value = yaml;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div class="yaml">
      <div class="yaml-head">
        <h3>YAML to apply</h3>
        <span class="yaml-note">Namespace, installer ServiceAccount + RBAC, ClusterExtension: <code>kubectl apply -f -</code></span>
        <button type="button" class="copy" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre class="yaml-text">{yaml}</pre>
    </div>
  );
}

// ---- the shell

function App() {
  const route = useRoute();
  const { data: info, error } = useJson<CatalogsResponse>(api.catalogs());
  useEffect(() => {
    if (info && !route.catalog && info.catalogs[0]) location.replace(href(info.catalogs[0].name));
  }, [info, route.catalog]);
  const catalog = route.catalog;
  return (
    <div class="app">
      <header class="top">
        <a class="brand" href="#/">
          gantry
        </a>
        <span class="brand-sub">catalogs</span>
        {info && info.catalogs.length > 0 && (
          <select class="catalog-select" aria-label="catalog" value={catalog} onChange={(e) => (location.hash = href((e.target as HTMLSelectElement).value))}>
            {info.catalogs.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.packages} packages, {c.bundles} bundles)
              </option>
            ))}
          </select>
        )}
      </header>
      <main>
        {error && <ErrorBox error={error} />}
        {info && info.catalogs.length === 0 && <p>No catalogs are served.</p>}
        {catalog && !route.pkg && <PackageList key={catalog} catalog={catalog} />}
        {catalog && route.pkg && <PackagePage key={`${catalog}/${route.pkg}`} catalog={catalog} pkg={route.pkg} params={route.params} />}
      </main>
    </div>
  );
}

const root = document.getElementById('app')!;
root.textContent = ''; // the static "Loading…" of index.html
render(<App />, root);

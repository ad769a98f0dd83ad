// Selection of sample imagestreams and tags: by name or glob, by S2I language, by architecture, and "only tags
// still referenced by templates". Criteria combine with AND, values of one criterion with OR; every selection
// that matches nothing is reported, and what a criterion cannot judge (no architecture in the input) is said.
import type { SampleArchitecture, SampleImageStream, SamplesIssue, SamplesSet, SampleTag } from './samples-model.js';

/**
 * The S2I languages the issue lists (those still updated after the operator's deprecation), each with the
 * imagestream names the operator ships for it (assets/operator/ocp-x86_64/<group>/imagestreams in
 * openshift/cluster-samples-operator).
 */
export const S2I_LANGUAGES: Record<string, { title: string; streams: (string | RegExp)[] }> = {
  ruby: { title: 'Ruby', streams: ['ruby'] },
  python: { title: 'Python', streams: ['python'] },
  nodejs: { title: 'Node.js', streams: ['nodejs'] },
  perl: { title: 'Perl', streams: ['perl'] },
  php: { title: 'PHP', streams: ['php'] },
  httpd: { title: 'HTTPD', streams: ['httpd'] },
  nginx: { title: 'Nginx', streams: ['nginx'] },
  eap: { title: 'EAP', streams: [/^jboss-eap/] },
  java: { title: 'Java', streams: ['java', 'java-runtime', /^(ubi[0-9]+-)?openjdk-/, /^redhat-openjdk/] },
  webserver: { title: 'Web server', streams: [/^jboss-webserver/] },
  dotnet: { title: '.NET', streams: [/^dotnet(-|$)/] },
  go: { title: 'Go', streams: ['golang'] },
};

const LANGUAGE_ALIASES: Record<string, string> = { 'node.js': 'nodejs', node: 'nodejs', '.net': 'dotnet', net: 'dotnet', golang: 'go', 'web-server': 'webserver', 'web server': 'webserver', jws: 'webserver' };

/** A language as people write it (Node.js, .NET, golang, "Web server") to its key in S2I_LANGUAGES. */
export function parseLanguage(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const key = LANGUAGE_ALIASES[t] ?? t;
  return key in S2I_LANGUAGES ? key : undefined;
}

export function languageOf(imagestream: string): string | undefined {
  for (const [key, lang] of Object.entries(S2I_LANGUAGES)) {
    if (lang.streams.some((p) => (typeof p === 'string' ? p === imagestream : p.test(imagestream)))) return key;
  }
  return undefined;
}

export interface SamplesSelection {
  /** Imagestream names or globs (`*`, `?`). */
  names?: string[];
  /** Keys of S2I_LANGUAGES (parse user text with parseLanguage). */
  languages?: string[];
  architectures?: SampleArchitecture[];
  /** Keep only tags a template references (through aliases, to the tag with the image). */
  referencedByTemplates?: boolean;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The set with only the selected imagestreams and tags (templates kept); issues for empty or blind criteria. */
export function selectSamples(set: SamplesSet, selection: SamplesSelection): SamplesSet {
  const issues: SamplesIssue[] = [...set.issues];
  // Issues about the selection itself belong to no input file.
  const where = '(selection)';
  let streams = set.imagestreams;

  if (selection.names && selection.names.length > 0) {
    const patterns = selection.names.map((n) => ({ n, re: globToRegExp(n) }));
    for (const p of patterns) {
      if (!streams.some((s) => p.re.test(s.name))) {
        issues.push({ severity: 'error', code: 'SELECTION_EMPTY', message: `--name ${p.n} matches no imagestream (there are: ${[...new Set(streams.map((s) => s.name))].sort().join(', ') || 'none'})`, file: where });
      }
    }
    streams = streams.filter((s) => patterns.some((p) => p.re.test(s.name)));
  }

  if (selection.languages && selection.languages.length > 0) {
    for (const lang of selection.languages) {
      if (!streams.some((s) => languageOf(s.name) === lang)) {
        issues.push({ severity: 'warning', code: 'SELECTION_EMPTY', message: `--language ${S2I_LANGUAGES[lang]?.title ?? lang}: no imagestream of that language in the input`, file: where });
      }
    }
    streams = streams.filter((s) => selection.languages!.includes(languageOf(s.name) ?? ''));
  }

  if (selection.architectures && selection.architectures.length > 0) {
    const blind = new Set(streams.filter((s) => s.architecture === undefined).map((s) => s.at.file));
    for (const file of [...blind].sort()) {
      issues.push({ severity: 'warning', code: 'ARCH_UNKNOWN', message: '--arch cannot filter this input (only an assets tree names architectures): its imagestreams are all kept', file });
    }
    const archs = selection.architectures;
    for (const a of archs) {
      if (blind.size === 0 && !streams.some((s) => s.architecture === a)) {
        issues.push({ severity: 'warning', code: 'SELECTION_EMPTY', message: `--arch ${a}: no imagestream for that architecture in the input`, file: where });
      }
    }
    streams = streams.filter((s) => s.architecture === undefined || archs.includes(s.architecture));
  }

  if (selection.referencedByTemplates) {
    streams = onlyReferenced(streams, set, issues, where);
  }
  return { imagestreams: streams, templates: set.templates, issues };
}

function onlyReferenced(streams: SampleImageStream[], set: SamplesSet, issues: SamplesIssue[], where: string): SampleImageStream[] {
  if (set.templates.length === 0) {
    issues.push({ severity: 'error', code: 'SELECTION_EMPTY', message: '--referenced needs templates in the input (the operator\'s assets tree, or Template files): there are none', file: where });
    return [];
  }
  const all = new Map(set.imagestreams.map((s) => [`${s.architecture ?? ''}/${s.name}`, s]));
  const keep = new Set<SampleTag>();
  for (const t of set.templates) {
    for (const ref of t.references) {
      // A template of one architecture references that architecture's streams; without one, any architecture.
      const candidates = [...all.values()].filter((s) => s.name === ref.imagestream && (t.architecture === undefined || s.architecture === undefined || s.architecture === t.architecture));
      let found = 0;
      for (const s of candidates) {
        const tag = s.tags.find((x) => x.tag === ref.tag);
        if (!tag) continue;
        found++;
        keep.add(tag);
        // An alias keeps the tag whose image it imports (same stream, or stream:tag of the same architecture).
        if (tag.aliasOf !== undefined) {
          const colon = tag.aliasOf.indexOf(':');
          const [sName, tName] = colon < 0 ? [s.name, tag.aliasOf] : [tag.aliasOf.slice(0, colon), tag.aliasOf.slice(colon + 1)];
          const target = all.get(`${s.architecture ?? ''}/${sName}`)?.tags.find((x) => x.tag === tName);
          if (target) keep.add(target);
        }
      }
      if (found === 0) {
        issues.push({ severity: 'warning', code: 'TEMPLATE_UNRESOLVED', message: `template ${t.name} ${ref.object} uses ${ref.imagestream}:${ref.tag}, which is not in the input`, file: ref.at.file, ...(ref.at.line === undefined ? {} : { line: ref.at.line }) });
      }
    }
  }
  return streams.map((s) => ({ ...s, tags: s.tags.filter((t) => keep.has(t)) })).filter((s) => s.tags.length > 0);
}

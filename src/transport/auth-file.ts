// Registry credentials from the containers/docker auth files, in containers-auth.json(5) search order:
// --authfile, REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, ~/.config/containers/auth.json, ~/.docker/config.json.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GantryError } from '../errors.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface AuthFileEntry {
  /** The key as written in the file ("quay.io", "quay.io/org", "https://index.docker.io/v1/"). */
  key: string;
  credentials: Credentials;
  file: string;
}

export function authFileSearchPath(env: NodeJS.ProcessEnv = process.env, explicit?: string): string[] {
  if (explicit) return [explicit];
  const paths: string[] = [];
  if (env.REGISTRY_AUTH_FILE) paths.push(env.REGISTRY_AUTH_FILE);
  if (env.XDG_RUNTIME_DIR) paths.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
  const home = env.HOME ?? homedir();
  paths.push(join(home, '.config', 'containers', 'auth.json'));
  paths.push(join(home, '.docker', 'config.json'));
  return paths;
}

/** Normalises an auth-file key: drops a scheme and a trailing /v1/ or /v2/ path, maps Docker Hub aliases. */
function normaliseKey(key: string): string {
  let k = key.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  k = k.replace(/\/v[12]$/, '');
  if (k === 'index.docker.io' || k === 'registry-1.docker.io') k = 'docker.io';
  return k;
}

function decodeAuth(auth: string, file: string, key: string): Credentials {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new GantryError('AUTH_CONFIG_INVALID', `${file}: the "auth" entry for "${key}" is not base64 of user:password`);
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

async function readAuthFile(file: string, explicit: boolean): Promise<AuthFileEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new GantryError('AUTH_CONFIG_INVALID', `cannot read auth file ${file}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new GantryError('AUTH_CONFIG_INVALID', `auth file ${file} is not valid JSON`, {
      cause: err,
      hint: 'expected {"auths": {"registry.example": {"auth": "<base64 of user:password>"}}}',
    });
  }
  const auths = (doc as { auths?: Record<string, { auth?: string; username?: string; password?: string }> }).auths ?? {};
  const entries: AuthFileEntry[] = [];
  for (const [key, value] of Object.entries(auths)) {
    if (value && typeof value.auth === 'string' && value.auth !== '') {
      entries.push({ key: normaliseKey(key), credentials: decodeAuth(value.auth, file, key), file });
    } else if (value && typeof value.username === 'string' && typeof value.password === 'string') {
      entries.push({ key: normaliseKey(key), credentials: { username: value.username, password: value.password }, file });
    }
  }
  return entries;
}

export interface CredentialStore {
  /** Credentials for a repository, most specific key first: host/ns/repo, host/ns, host. */
  lookup(registry: string, repository: string): Credentials | undefined;
}

/** Loads the first auth file that has an entry for a registry in search order, as containers/image does. */
export async function loadCredentialStore(opts: { authFile?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CredentialStore> {
  const files = authFileSearchPath(opts.env ?? process.env, opts.authFile);
  const perFile: AuthFileEntry[][] = [];
  for (const f of files) perFile.push(await readAuthFile(f, f === opts.authFile));
  return {
    lookup(registry, repository) {
      const candidates: string[] = [];
      const parts = repository.split('/');
      for (let i = parts.length; i > 0; i--) candidates.push(`${registry}/${parts.slice(0, i).join('/')}`);
      candidates.push(registry);
      for (const entries of perFile) {
        for (const c of candidates) {
          const hit = entries.find((e) => e.key === c);
          if (hit) return hit.credentials;
        }
      }
      return undefined;
    },
  };
}

/** "user:password" as given to --creds. */
export function parseCredentialsFlag(value: string): Credentials {
  const colon = value.indexOf(':');
  if (colon <= 0) {
    throw new GantryError('USAGE', 'credentials must be given as USERNAME:PASSWORD', {
      hint: 'or put them in an auth file (--authfile, REGISTRY_AUTH_FILE)',
    });
  }
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

// Fixed values of the catalog image builder: what opm's generated Dockerfile puts in a catalog image, and the
// limits and settings that make the catalog layer reproducible. One named place; each value says why.

/** The label catalogd and OLM read to find the FBC root (opm-olm.md §1.4; OR:pkg/containertools/dockerfilegenerator.go). */
export const CONFIGS_LABEL = 'operators.operatorframework.io.index.configs.v1';
/** A registry+v1 bundle image names its package in this label. */
export const BUNDLE_PACKAGE_LABEL = 'operators.operatorframework.io.bundle.package.v1';
/** SQLite-based index images (OpenShift 4.6–4.10) name their database file in this label. */
export const INDEX_DATABASE_LABEL = 'operators.operatorframework.io.index.database.v1';

/** Where the catalog lives inside the image; also the label's value. */
export const CONFIGS_DIR = '/configs';

/**
 * Says that the image ships no pre-built `opm serve` cache (opm's Dockerfile bakes one into /tmp/cache with
 * `opm serve --cache-only`; we cannot run opm at build time, and a cache copied from elsewhere goes stale).
 */
export const CACHE_LABEL = 'io.gantry.catalog.cache';
export const CACHE_LABEL_VALUE = 'none';

/** ENTRYPOINT of `opm generate dockerfile` (opm-olm.md §3.3). */
export const CATALOG_ENTRYPOINT: readonly string[] = ['/bin/opm'];

/**
 * CMD. opm writes `["serve", "/configs", "--cache-dir=/tmp/cache"]`, which is only valid next to the cache it
 * bakes in: since opm v1.26.3 (#1051) `--cache-dir` without `--cache-only` turns `--cache-enforce-integrity` on,
 * and serve then exits at start with "integrity check failed: read existing cache digest: … no such file or
 * directory" (OR:cmd/opm/serve/serve.go: the default is `cacheDir != "" && !cacheOnly`; CheckIntegrity reads
 * the digest file first). Without `--cache-dir`, every opm version builds its cache at start in a fresh temp
 * dir (v1.26.3+: os.MkdirTemp, removed at exit; older: in memory). `--cache-enforce-integrity=false` would also
 * work, but opm before v1.26.3 rejects the unknown flag; plain `serve /configs` works with every FBC-capable opm.
 */
export const CATALOG_CMD: readonly string[] = ['serve', CONFIGS_DIR];

export const CATALOG_IMAGE_DEFAULTS = {
  /**
   * gzip level of the catalog layer. FBC JSON compresses ~10x at 6; level 9 saves under 2% more and takes three
   * times as long (15 MB catalog: 150 ms vs 470 ms). Fixed, since the level changes the bytes and so the digest.
   */
  gzipLevel: 6,
  /**
   * The OS byte of the gzip header (RFC 1952 §2.3.1). zlib writes its build platform (3 on Unix, 10 on
   * Windows); we write 255 "unknown", as Go's compress/gzip does, so the header does not depend on the host.
   */
  gzipOs: 0xff,
  /** Base image configs are JSON documents of a few KiB; a larger one is refused rather than read into memory. */
  maxConfigBytes: 8 * 1024 * 1024,
  /** Base layers copied to the destination at once. */
  blobConcurrency: 6,
  /** Platform of a catalog built on `scratch` when none is asked for. */
  scratchPlatform: { os: 'linux', architecture: 'amd64' },
  /**
   * ustar's 11 octal digits of mtime end in year 2242; later SOURCE_DATE_EPOCH values would need PAX mtime
   * records, which we do not write.
   */
  maxSourceDateEpoch: 0o77777777777,
} as const;

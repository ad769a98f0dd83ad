// The opm release gantry's catalog output is measured against ("byte-compatible"), named once for the CLI
// help, the README and the tests that pin the behaviours in which opm releases differ.

/**
 * opm v1.73.0, the last release (and the last with SQLite migration). Where older opm differs, gantry follows
 * this one; the README lists the differences from v1.26.5, the opm that oc-mirror v1 pipelines still use.
 */
export const OPM_REFERENCE_VERSION = 'v1.73.0';

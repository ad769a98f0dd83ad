// The version gantry reports (--version) and records in archives and generated resources.
export const GANTRY_VERSION = '0.1.0';

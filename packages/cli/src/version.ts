/** The package version, printed by --version and in SARIF. */
export const VERSION = '0.1.0';

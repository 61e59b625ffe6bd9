/** The package version, sent in `User-Agent`. A test keeps it equal to package.json's `version`. */
export const VERSION = '0.2.0';

export const USER_AGENT = `onetime-kit/${VERSION}`;

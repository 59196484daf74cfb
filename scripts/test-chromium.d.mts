// Types for test-chromium.mjs, which the browser test helpers use to reach Chromium.
export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
/** The variable naming the runner's shared Chromium endpoint, when it started one. */
export const SHARED_CHROMIUM_ENV: string;
export function assertChromium(): void;

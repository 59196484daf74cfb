// Types for test-build.mjs, which the test helpers use to refuse a stale build.
export function staleServerSource(root: string): string | null;
export function staleWebSource(root: string): string | null;
export function ensureServerBuild(root: string): void;
export function ensureWebBuild(root: string): void;
/** Where a source file's compiled test build is: test/a.test.ts → ROOT/.test-build/test/a.test.js. */
export function testBuildOf(root: string, source: string): string;

// The request bodies the sign-in pages send live in the shared contract, which the web app reads too.
export * from '../../contract/auth.js';

// What the unconference accepts and answers lives in the shared contract, which the web app reads too.
export * from '../../contract/unconference.js';

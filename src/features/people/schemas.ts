// What the API answers about people lives in the shared contract, which the web app reads too.
export * from '../../contract/people.js';

// What an administrator may change about a person lives in the shared contract, which the web app reads too.
export * from '../../contract/adminPeople.js';

import { hostname } from 'node:os';
import { newId } from '../lib/ids.js';

/** Names this process (and this job instance) in claimed rows and leases: host:pid:random. */
export const holderId = (): string => `${hostname()}:${process.pid}:${newId().slice(-6)}`;

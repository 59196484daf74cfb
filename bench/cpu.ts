/** CPU time of processes on this machine, read from Linux's /proc (0 where it cannot say). */
import { readdirSync, readFileSync } from 'node:fs';

const MS_PER_TICK = 10; // USER_HZ is 100 on Linux

/** User + system CPU milliseconds a process has used so far; 0 when it has ended or /proc is absent. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name, in parentheses, may hold spaces: the fields are counted after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

/** CPU milliseconds of every process named postgres on this machine: backends and background writers. */
export function postgresCpuMs(): number {
  let total = 0;
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // The process ended between the listing and the read.
    }
    total += processCpuMs(Number(pid));
  }
  return total;
}

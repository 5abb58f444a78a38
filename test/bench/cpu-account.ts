/**
 * Where a bench step's CPU time went, read from Linux's /proc: the server (this process), the
 * Temporal dev server, every PostgreSQL backend, and the load generator (which reports its own).
 * On a shared two-core machine this tells whether a latency figure is the endpoint's doing or
 * the machine running out of cores.
 */
import fs from 'node:fs';

/** CPU seconds (user + system) spent by each part. */
export interface CpuSeconds {
  server: number;
  temporal: number;
  postgres: number;
}

const TICKS_PER_SECOND = 100;

/** A reading now, to subtract from a later one. */
export function readCpu(temporalPid: number | undefined): CpuSeconds {
  const own = process.cpuUsage();
  return {
    server: (own.user + own.system) / 1e6,
    temporal: temporalPid === undefined ? 0 : processSeconds(temporalPid),
    postgres: postgresSeconds(),
  };
}

/** What was spent between two readings. */
export function spentBetween(before: CpuSeconds, after: CpuSeconds): CpuSeconds {
  return {
    server: after.server - before.server,
    temporal: after.temporal - before.temporal,
    postgres: after.postgres - before.postgres,
  };
}

function processSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

// Backends come and go with connections; a backend that ended during the step is not counted,
// which the pool's long-lived connections make rare.
function postgresSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const name = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (name === 'postgres') {
        total += processSeconds(Number(entry));
      }
    } catch {
      // The process ended while the directory was read.
    }
  }
  return total;
}

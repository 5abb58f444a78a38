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

function processSeconds(pid: number, options: { withEndedChildren?: boolean } = {}): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the state, field 3:
    // utime and stime are fields 14 and 15, the waited-for children's cutime and cstime 16, 17.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const own = (fields[11] ?? 0) + (fields[12] ?? 0);
    const ended = options.withEndedChildren === true ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0;
    return (own + ended) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

// Backends come and go with connections. The ones still running are read one by one; the
// postmaster has waited for the ones that ended, so their time is in its children's counters.
function postgresSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const name = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (name === 'postgres') {
        total += processSeconds(Number(entry), { withEndedChildren: true });
      }
    } catch {
      // The process ended while the directory was read.
    }
  }
  return total;
}

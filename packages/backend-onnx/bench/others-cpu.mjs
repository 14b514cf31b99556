// How busy the rest of the machine was during a benchmark, in cores. A benchmark that keeps two
// intra-op threads busy pushes the 1-minute load average to about 2 by itself, so "load after"
// cannot tell a quiet machine from a busy one; this subtracts our own CPU time from the machine's.
// Linux only (/proc/stat); elsewhere it returns undefined and only the load average is used.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

/** Machine busy time and this process's CPU time (all its threads), both in seconds, now. */
export function cpuSnapshot() {
  let machineBusy;
  try {
    const cpuLine = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const [user, nice, system, , , irq, softirq, steal] = cpuLine.trim().split(/\s+/).slice(1).map(Number);
    machineBusy = (user + nice + system + irq + softirq + steal) / USER_HZ;
  } catch {
    machineBusy = undefined;
  }
  const own = process.cpuUsage();
  return { wall: performance.now() / 1000, machineBusy, own: (own.user + own.system) / 1e6 };
}

/** Average number of cores other processes kept busy between two snapshots (undefined off Linux). */
export function othersCores(before, after) {
  if (before.machineBusy === undefined || after.machineBusy === undefined) return undefined;
  const others = after.machineBusy - before.machineBusy - (after.own - before.own);
  return Math.max(0, others) / (after.wall - before.wall);
}

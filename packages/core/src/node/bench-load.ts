/// <reference types="node" preserve="true" />
// How quiet the machine was around a benchmark. The 1-minute load average before the run says
// whether other work was going on when it started; after the run it cannot tell, because a run
// that keeps two threads busy lifts the load to about 2 by itself. So during the run we measure
// how many cores OTHER processes kept busy: the machine's busy time (/proc/stat) minus this
// process's own CPU time (process.cpuUsage, all its threads). Linux only; elsewhere the verdict
// falls back to the load average at both ends.
import { readFileSync } from 'node:fs';

/** 1-minute load average above which a benchmark is "not settled". */
export const NOT_SETTLED_LOAD = 1.5;

/** Cores other processes may keep busy on average during a run before it is "not settled". */
export const NOT_SETTLED_OTHERS_CORES = 0.25;

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

/** The machine's busy CPU time and this process's own, both in seconds, at one moment. */
export interface CpuSnapshot {
  /** Wall clock, seconds (performance.now). */
  readonly wall: number;
  /** Busy time of all cores since boot; undefined where /proc/stat is absent (not Linux). */
  readonly machineBusy: number | undefined;
  /** CPU time of this process, user + system, all threads. */
  readonly own: number;
}

/** Busy seconds of all cores from /proc/stat's first line (undefined when it cannot be read). */
function machineBusySeconds(): number | undefined {
  try {
    const cpuLine = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const [user, nice, system, , , irq, softirq, steal] = cpuLine.trim().split(/\s+/).slice(1).map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((a, x) => a + (x ?? Number.NaN), 0);
    return Number.isFinite(busy) ? busy / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

/** Takes a snapshot now. */
export function cpuSnapshot(): CpuSnapshot {
  const own = process.cpuUsage();
  return { wall: performance.now() / 1000, machineBusy: machineBusySeconds(), own: (own.user + own.system) / 1e6 };
}

/** Average number of cores other processes kept busy between two snapshots (undefined off Linux). */
export function othersCores(before: CpuSnapshot, after: CpuSnapshot): number | undefined {
  if (before.machineBusy === undefined || after.machineBusy === undefined || after.wall <= before.wall) return undefined;
  const others = after.machineBusy - before.machineBusy - (after.own - before.own);
  return Math.max(0, others) / (after.wall - before.wall);
}

/** What a benchmark measured about the machine, and whether its timings can be compared. */
export interface BenchQuiet {
  /** 1-minute load average before and after the run. */
  readonly loadBefore: number;
  readonly loadAfter: number;
  /** Cores other processes kept busy during the run; undefined off Linux. */
  readonly othersCores: number | undefined;
  readonly settled: boolean;
  /** One phrase: why it is (not) settled, naming the figures and the limits. */
  readonly reason: string;
}

/**
 * The verdict: settled when the load before was at most NOT_SETTLED_LOAD and other processes kept
 * at most NOT_SETTLED_OTHERS_CORES cores busy during the run. Without the others figure (not
 * Linux) the load after stands in for it, at the same limit as before.
 */
export function benchQuiet(loadBefore: number, loadAfter: number, before: CpuSnapshot, after: CpuSnapshot): BenchQuiet {
  const others = othersCores(before, after);
  const busyBefore = loadBefore > NOT_SETTLED_LOAD;
  const busyDuring = others === undefined ? loadAfter > NOT_SETTLED_LOAD : others > NOT_SETTLED_OTHERS_CORES;
  const problems = [
    ...(busyBefore ? [`load before ${loadBefore.toFixed(2)} above ${NOT_SETTLED_LOAD}`] : []),
    ...(busyDuring
      ? [others === undefined ? `load after ${loadAfter.toFixed(2)} above ${NOT_SETTLED_LOAD}` : `other processes kept ${others.toFixed(2)} cores busy, above ${NOT_SETTLED_OTHERS_CORES}`]
      : []),
  ];
  const basis =
    others === undefined
      ? `load before and after ≤ ${NOT_SETTLED_LOAD}; other processes' CPU unknown here (no /proc/stat)`
      : `load before ≤ ${NOT_SETTLED_LOAD}, other processes ≤ ${NOT_SETTLED_OTHERS_CORES} cores`;
  return { loadBefore, loadAfter, othersCores: others, settled: problems.length === 0, reason: problems.length === 0 ? basis : problems.join('; ') };
}

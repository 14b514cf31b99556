// The benchmark's "settled" verdict, from injected snapshots: the load before the run, and the
// cores other processes kept busy during it (machine busy time minus this process's own).
import { describe, expect, it } from 'vitest';
import { benchQuiet, cpuSnapshot, othersCores, type CpuSnapshot } from '../src/node.js';

/** Snapshots 10 s apart: the machine busy for `machine` s, this process for `own` s of it. */
function run(machine: number | undefined, own: number): [CpuSnapshot, CpuSnapshot] {
  return [
    { wall: 100, machineBusy: machine === undefined ? undefined : 5000, own: 7 },
    { wall: 110, machineBusy: machine === undefined ? undefined : 5000 + machine, own: 7 + own },
  ];
}

describe('bench load verdict', () => {
  it('subtracts our own CPU time from the machine busy time', () => {
    expect(othersCores(...run(21, 19))).toBeCloseTo(0.2, 10);
    expect(othersCores(...run(19, 19.5))).toBe(0); // clock granularity can make it slightly negative
    expect(othersCores(...run(undefined, 19))).toBeUndefined();
  });

  it('settles a quiet machine whose load our own two threads raised', () => {
    const q = benchQuiet(0.9, 2.1, ...run(20.5, 20)); // others 0.05 cores
    expect(q.settled).toBe(true);
    expect(q.othersCores).toBeCloseTo(0.05, 10);
    expect(q.reason).toMatch(/load before ≤ 1.5, other processes ≤ 0.25 cores/);
  });

  it('is not settled when others kept cores busy, or the load before was high', () => {
    const busy = benchQuiet(0.9, 1.2, ...run(25, 20)); // others 0.5 cores
    expect(busy.settled).toBe(false);
    expect(busy.reason).toBe('other processes kept 0.50 cores busy, above 0.25');
    const loadedBefore = benchQuiet(1.6, 1.2, ...run(20, 20));
    expect(loadedBefore.settled).toBe(false);
    expect(loadedBefore.reason).toBe('load before 1.60 above 1.5');
  });

  it('falls back to the load after where other processes cannot be measured', () => {
    expect(benchQuiet(0.9, 1.4, ...run(undefined, 20))).toMatchObject({ settled: true, othersCores: undefined });
    const q = benchQuiet(0.9, 2.1, ...run(undefined, 20));
    expect(q.settled).toBe(false);
    expect(q.reason).toBe('load after 2.10 above 1.5');
  });

  it('reads this machine', () => {
    const before = cpuSnapshot();
    let x = 0;
    for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
    const after = cpuSnapshot();
    expect(x).toBeGreaterThan(0);
    expect(after.own).toBeGreaterThanOrEqual(before.own);
    if (process.platform === 'linux') expect(othersCores(before, after)).toBeGreaterThanOrEqual(0);
    else expect(othersCores(before, after)).toBeUndefined();
  });
});

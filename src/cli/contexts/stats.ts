// The row context of `stats` (Docker's statsContext): field getters and headers.
import { makeStruct } from '../format/formatter';
import { bytesSize, humanSizeWithPrecision, truncateId } from '../format/units';
import type { StructObject } from '../template';
import type { StatsEntry } from '../stats/calc';

export const DEFAULT_STATS_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

export const STATS_HEADERS: Record<string, string> = {
  Container: 'CONTAINER', Name: 'NAME', ID: 'CONTAINER ID', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
};

const NO_VALUE = '--';
const percent = (v: number) => `${goFixed(v, 2)}%`;

/**
 * Go's strconv.FormatFloat(v, 'f', digits): like toFixed, except that an exact tie
 * rounds to even (3.125 → "3.12") where toFixed rounds up.
 */
export function goFixed(v: number, digits: number): string {
  const exact = Math.abs(v).toFixed(100); // exact decimal digits of the double (ties have few)
  const dot = exact.indexOf('.');
  const tail = exact.slice(dot + 1 + digits);
  if (tail[0] !== '5' || /[^0]/.test(tail.slice(1))) return v.toFixed(digits);
  const down = (Math.sign(v) * Number(exact.slice(0, dot + 1 + digits))).toFixed(digits);
  const lastDigit = Number(down.replace(/\D/g, '').slice(-1));
  return lastDigit % 2 === 0 ? down : v.toFixed(digits);
}

export function statsContext(s: StatsEntry, trunc: boolean): StructObject {
  return makeStruct('statsContext', {
    Container: () => s.container,
    Name: () => s.name.replace(/^\//, '') || NO_VALUE,
    ID: () => (trunc ? truncateId(s.id) : s.id),
    CPUPerc: () => (s.invalid ? NO_VALUE : percent(s.cpuPercentage)),
    MemUsage: () => (s.invalid ? '-- / --' : `${bytesSize(s.memory)} / ${bytesSize(s.memoryLimit)}`),
    MemPerc: () => (s.invalid ? NO_VALUE : percent(s.memoryPercentage)),
    NetIO: () => (s.invalid ? NO_VALUE : `${humanSizeWithPrecision(s.networkRx, 3)} / ${humanSizeWithPrecision(s.networkTx, 3)}`),
    BlockIO: () => (s.invalid ? NO_VALUE : `${humanSizeWithPrecision(s.blockRead, 3)} / ${humanSizeWithPrecision(s.blockWrite, 3)}`),
    PIDs: () => (s.invalid ? NO_VALUE : String(s.pidsCurrent)),
  });
}

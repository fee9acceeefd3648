// Second opinion on OOM kills: conmon flags them with an "oom" file, but if that file
// is missing for a SIGKILL exit, the cgroup's own oom_kill counter (still readable until
// runc delete removes the cgroup) decides.
import { containerCgroupsPath } from '../runtime';
import { locateCgroupsPath, oomKillCount } from '../runtime/cgroups';

const SIGKILL_EXIT = 137;

export function exitWasOomKill(id: string, cgroupParent: string, exitCode: number, conmonSaysOom: boolean): boolean {
  if (conmonSaysOom) return true;
  if (exitCode !== SIGKILL_EXIT) return false;
  const loc = locateCgroupsPath(containerCgroupsPath(cgroupParent, id));
  return loc !== undefined && (oomKillCount(loc) ?? 0) > 0;
}

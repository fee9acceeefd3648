// The flags of `run` and `create` (Docker's names, types and texts).
import type { FlagDef } from '../flags';
import { ramInBytes } from '../format/units';
import { parseGoDuration } from './duration';
import { parseDevice, parseNanoCpus } from './values';

const bytes = (v: string) => { if (v !== '-1') ramInBytes(v); };
const duration = (v: string) => { parseGoDuration(v); };

export const CONTAINER_FLAGS: FlagDef[] = [
  { name: 'add-host', kind: 'list', usage: 'Add a custom host-to-IP mapping (host:ip)' },
  { name: 'attach', short: 'a', kind: 'list', usage: 'Attach to STDIN, STDOUT or STDERR' },
  { name: 'blkio-weight', kind: 'int', typeName: 'uint16', usage: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
  { name: 'cap-add', kind: 'list', usage: 'Add Linux capabilities' },
  { name: 'cap-drop', kind: 'list', usage: 'Drop Linux capabilities' },
  { name: 'cgroup-parent', kind: 'string', usage: 'Optional parent cgroup for the container' },
  { name: 'cidfile', kind: 'string', usage: 'Write the container ID to the file' },
  { name: 'cpu-period', kind: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { name: 'cpu-quota', kind: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { name: 'cpu-shares', short: 'c', kind: 'int', usage: 'CPU shares (relative weight)' },
  { name: 'cpus', kind: 'string', typeName: 'decimal', usage: 'Number of CPUs', validate: (v) => { parseNanoCpus(v); } },
  { name: 'cpuset-cpus', kind: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
  { name: 'cpuset-mems', kind: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
  { name: 'device', kind: 'list', usage: 'Add a host device to the container', validate: (v) => { parseDevice(v); } },
  { name: 'dns', kind: 'list', usage: 'Set custom DNS servers' },
  { name: 'dns-option', kind: 'list', usage: 'Set DNS options' },
  { name: 'dns-search', kind: 'list', usage: 'Set custom DNS search domains' },
  { name: 'domainname', kind: 'string', usage: 'Container NIS domain name' },
  { name: 'entrypoint', kind: 'string', usage: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'env', short: 'e', kind: 'list', usage: 'Set environment variables' },
  { name: 'env-file', kind: 'list', usage: 'Read in a file of environment variables' },
  { name: 'expose', kind: 'list', usage: 'Expose a port or a range of ports' },
  { name: 'group-add', kind: 'list', usage: 'Add additional groups to join' },
  { name: 'health-cmd', kind: 'string', usage: 'Command to run to check health' },
  { name: 'health-interval', kind: 'string', typeName: 'duration', default: '0s', usage: 'Time between running the check (ms|s|m|h)', validate: duration },
  { name: 'health-retries', kind: 'int', usage: 'Consecutive failures needed to report unhealthy' },
  { name: 'health-start-interval', kind: 'string', typeName: 'duration', default: '0s', usage: 'Time between running the check during the start period (ms|s|m|h)', validate: duration },
  { name: 'health-start-period', kind: 'string', typeName: 'duration', default: '0s', usage: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h)', validate: duration },
  { name: 'health-timeout', kind: 'string', typeName: 'duration', default: '0s', usage: 'Maximum time to allow one check to run (ms|s|m|h)', validate: duration },
  { name: 'hostname', short: 'h', kind: 'string', usage: 'Container host name' },
  { name: 'init', kind: 'bool', usage: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'interactive', short: 'i', kind: 'bool', usage: 'Keep STDIN open even if not attached' },
  { name: 'ipc', kind: 'string', usage: 'IPC mode to use' },
  { name: 'label', short: 'l', kind: 'list', usage: 'Set meta data on a container' },
  { name: 'label-file', kind: 'list', usage: 'Read in a line delimited file of labels' },
  { name: 'log-driver', kind: 'string', usage: 'Logging driver for the container' },
  { name: 'log-opt', kind: 'list', usage: 'Log driver options' },
  { name: 'memory', short: 'm', kind: 'string', typeName: 'bytes', usage: 'Memory limit', validate: bytes },
  { name: 'memory-reservation', kind: 'string', typeName: 'bytes', usage: 'Memory soft limit', validate: bytes },
  { name: 'memory-swap', kind: 'string', typeName: 'bytes', usage: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", validate: bytes },
  { name: 'name', kind: 'string', usage: 'Assign a name to the container' },
  { name: 'network', kind: 'string', typeName: 'network', usage: 'Connect a container to a network' },
  { name: 'net', kind: 'string', hidden: true, usage: 'Connect a container to a network' },
  { name: 'no-healthcheck', kind: 'bool', usage: 'Disable any container-specified HEALTHCHECK' },
  { name: 'oom-kill-disable', kind: 'bool', usage: 'Disable OOM Killer' },
  { name: 'oom-score-adj', kind: 'int', usage: "Tune host's OOM preferences (-1000 to 1000)" },
  { name: 'pid', kind: 'string', usage: 'PID namespace to use' },
  { name: 'pids-limit', kind: 'int', usage: 'Tune container pids limit (set -1 for unlimited)' },
  { name: 'platform', kind: 'string', usage: 'Set platform if server is multi-platform capable' },
  { name: 'privileged', kind: 'bool', usage: 'Give extended privileges to this container' },
  { name: 'publish', short: 'p', kind: 'list', usage: "Publish a container's port(s) to the host" },
  { name: 'publish-all', short: 'P', kind: 'bool', usage: 'Publish all exposed ports to random ports' },
  { name: 'pull', kind: 'string', default: 'missing', usage: 'Pull image before running ("always", "missing", "never")' },
  { name: 'quiet', short: 'q', kind: 'bool', usage: 'Suppress the pull output' },
  { name: 'read-only', kind: 'bool', usage: "Mount the container's root filesystem as read only" },
  { name: 'restart', kind: 'string', default: 'no', usage: 'Restart policy to apply when a container exits' },
  { name: 'rm', kind: 'bool', usage: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'security-opt', kind: 'list', usage: 'Security Options' },
  { name: 'shm-size', kind: 'string', typeName: 'bytes', usage: 'Size of /dev/shm', validate: bytes },
  { name: 'stop-signal', kind: 'string', usage: 'Signal to stop the container' },
  { name: 'stop-timeout', kind: 'int', usage: 'Timeout (in seconds) to stop a container' },
  { name: 'tmpfs', kind: 'list', usage: 'Mount a tmpfs directory' },
  { name: 'tty', short: 't', kind: 'bool', usage: 'Allocate a pseudo-TTY' },
  { name: 'ulimit', kind: 'list', typeName: 'ulimit', usage: 'Ulimit options' },
  { name: 'user', short: 'u', kind: 'string', usage: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
  { name: 'userns', kind: 'string', usage: 'User namespace to use' },
  { name: 'uts', kind: 'string', usage: 'UTS namespace to use' },
  { name: 'volume', short: 'v', kind: 'list', usage: 'Bind mount a volume' },
  { name: 'workdir', short: 'w', kind: 'string', usage: 'Working directory inside the container' },
];

/** Flags only `run` has. */
export const RUN_ONLY_FLAGS: FlagDef[] = [
  { name: 'detach', short: 'd', kind: 'bool', usage: 'Run container in background and print container ID' },
  { name: 'detach-keys', kind: 'string', usage: 'Override the key sequence for detaching a container' },
  { name: 'sig-proxy', kind: 'bool', default: true, usage: 'Proxy received signals to the process' },
];

export function sortFlags(defs: FlagDef[]): FlagDef[] {
  return [...defs].sort((a, b) => a.name.localeCompare(b.name));
}

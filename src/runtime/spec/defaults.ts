// Docker's default Linux container profile (moby daemon/pkg/oci/defaults.go): capability
// set, /proc and /sys masking, default mounts and the device cgroup allow-list.
import { existsSync, readFileSync } from 'node:fs';
import type { OciDeviceRule, OciMount } from './types';

export const DEFAULT_PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

// Kernel capability numbers 0..40 (linux/capability.h), used for --privileged and cap-add ALL.
const CAPABILITY_NAMES: readonly string[] = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID',
  'SETPCAP', 'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW',
  'IPC_LOCK', 'IPC_OWNER', 'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT',
  'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD',
  'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP', 'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG',
  'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF', 'CHECKPOINT_RESTORE',
].map((n) => 'CAP_' + n);

let allCaps: string[] | undefined;
/**
 * Every capability the kernel knows (cap_last_cap) that berthd itself may grant: a
 * capability outside our own bounding set (CAP_SYS_RESOURCE here) would fail the start.
 */
export function allCapabilities(): string[] {
  if (!allCaps) {
    let last = CAPABILITY_NAMES.length - 1;
    try { last = Math.min(last, parseInt(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'), 10)); } catch { /* keep table size */ }
    let bounding = (1n << BigInt(last + 1)) - 1n;
    try {
      const hex = /^CapBnd:\s+([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      if (hex) bounding = BigInt('0x' + hex);
    } catch { /* assume all */ }
    allCaps = CAPABILITY_NAMES.slice(0, last + 1).filter((_n, bit) => (bounding >> BigInt(bit)) & 1n);
  }
  return allCaps.slice();
}

export function isKnownCapability(name: string): boolean {
  return CAPABILITY_NAMES.includes(name);
}

export const READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

let masked: string[] | undefined;
export function maskedPaths(): string[] {
  if (!masked) {
    masked = [
      '/proc/acpi', '/proc/asound', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
      '/proc/sched_debug', '/proc/scsi', '/proc/timer_list', '/proc/timer_stats',
      '/sys/devices/virtual/powercap', '/sys/firmware',
    ];
    // Per-CPU thermal_throttle leaks host activity (GHSA-6fw5-f8r9-fgfm); mask the ones present.
    for (let cpu = 0; ; cpu++) {
      if (!existsSync(`/sys/devices/system/cpu/cpu${cpu}`)) break;
      const p = `/sys/devices/system/cpu/cpu${cpu}/thermal_throttle`;
      if (existsSync(p)) masked.push(p);
    }
  }
  return masked.slice();
}

/** Deny all, then the character devices every container gets (runc adds pts/ptmx itself). */
export function defaultDeviceRules(): OciDeviceRule[] {
  const allow = (major: number, minor: number): OciDeviceRule => ({ allow: true, type: 'c', major, minor, access: 'rwm' });
  return [
    { allow: false, access: 'rwm' },
    allow(1, 5), // null
    allow(1, 3), // zero
    allow(1, 9), // urandom
    allow(1, 8), // random
    allow(5, 0), // tty
    allow(5, 1), // console
    { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' }, // fuse
  ];
}

export function defaultMounts(shmSize: number): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize}`] },
  ];
}

/** Docker's default /dev/shm size (64 MiB). */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

// Container records: SQLite rows (config apart from state, as Podman does) mirrored in
// memory for fast lookups and listing. Records are replaced, never mutated, so a
// Container handed to a caller is a stable snapshot.
import { migrate, type MetadataDb } from '../store';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors';
import type { Container, ContainerState } from './types';

export interface ContainerRecord {
  container: Container;
  chainId: string | null; // image chain at create time (sizes survive a forced image removal)
  conmonPid: number;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS container_configs (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     created TEXT NOT NULL,
     image_id TEXT NOT NULL,
     chain_id TEXT,
     body TEXT NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS container_states (
     id TEXT PRIMARY KEY REFERENCES container_configs(id) ON DELETE CASCADE,
     state TEXT NOT NULL,
     restart_count INTEGER NOT NULL DEFAULT 0,
     manually_stopped INTEGER NOT NULL DEFAULT 0,
     conmon_pid INTEGER NOT NULL DEFAULT 0
   )`,
];

type ConfigBody = Pick<Container, 'path' | 'args' | 'config' | 'hostConfig' | 'logPath' | 'resolvConfPath' | 'hostnamePath' | 'hostsPath'>;

interface Row {
  id: string; name: string; created: string; image_id: string; chain_id: string | null; body: string;
  state: string; restart_count: number; manually_stopped: number; conmon_pid: number;
}

export class ContainerRepository {
  private readonly byId = new Map<string, ContainerRecord>();
  private readonly byName = new Map<string, string>(); // name → id, including reservations

  constructor(private readonly db: MetadataDb) {
    migrate(db, SCHEMA);
    const rows = db.prepare(`SELECT c.*, s.state, s.restart_count, s.manually_stopped, s.conmon_pid
      FROM container_configs c JOIN container_states s ON s.id = c.id`).all() as Row[];
    for (const row of rows) {
      const body = JSON.parse(row.body) as ConfigBody;
      const container: Container = {
        id: row.id, name: row.name, created: row.created, imageId: row.image_id, ...body,
        state: JSON.parse(row.state) as ContainerState, restartCount: row.restart_count, manuallyStopped: row.manually_stopped === 1,
      };
      this.byId.set(row.id, { container, chainId: row.chain_id, conmonPid: row.conmon_pid });
      this.byName.set(row.name, row.id);
    }
  }

  all(): ContainerRecord[] {
    return [...this.byId.values()];
  }

  find(id: string): ContainerRecord | undefined {
    return this.byId.get(id);
  }

  /** Full ID, name (with or without "/"), or unique ID prefix — Docker's lookup order. */
  resolve(idOrName: string): ContainerRecord {
    if (!idOrName) throw new NotFoundError('No such container: ');
    const exact = this.byId.get(idOrName);
    if (exact) return exact;
    const byName = this.byName.get(idOrName.replace(/^\//, ''));
    if (byName && this.byId.has(byName)) return this.byId.get(byName) as ContainerRecord;
    if (/^[a-f0-9]+$/.test(idOrName)) {
      const matches = [...this.byId.keys()].filter((id) => id.startsWith(idOrName));
      if (matches.length === 1) return this.byId.get(matches[0]) as ContainerRecord;
      if (matches.length > 1) throw new InvalidArgumentError(`multiple IDs found with provided prefix: ${idOrName}`);
    }
    throw new NotFoundError(`No such container: ${idOrName}`);
  }

  /** Claims a name for `id` (before the row exists); 409 with Docker's text when taken. */
  reserveName(name: string, id: string): void {
    const owner = this.byName.get(name);
    if (owner !== undefined && owner !== id) {
      throw new ConflictError(`Conflict. The container name "/${name}" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`);
    }
    this.byName.set(name, id);
  }

  releaseName(name: string, id: string): void {
    if (this.byName.get(name) === id) this.byName.delete(name);
  }

  nameTaken(name: string): boolean {
    return this.byName.has(name);
  }

  insert(record: ContainerRecord): void {
    const c = record.container;
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO container_configs (id, name, created, image_id, chain_id, body) VALUES (?, ?, ?, ?, ?, ?)')
        .run(c.id, c.name, c.created, c.imageId, record.chainId, JSON.stringify(configBody(c)));
      this.db.prepare('INSERT INTO container_states (id, state, restart_count, manually_stopped, conmon_pid) VALUES (?, ?, ?, ?, ?)')
        .run(c.id, JSON.stringify(c.state), c.restartCount, c.manuallyStopped ? 1 : 0, record.conmonPid);
    })();
    this.byId.set(c.id, record);
    this.byName.set(c.name, c.id);
  }

  /** New state (and bookkeeping) for a container; returns the new record. */
  saveState(id: string, state: Partial<ContainerState>, extra: { restartCount?: number; manuallyStopped?: boolean; conmonPid?: number } = {}): ContainerRecord {
    const old = this.mustFind(id);
    const container: Container = {
      ...old.container,
      state: { ...old.container.state, ...state },
      restartCount: extra.restartCount ?? old.container.restartCount,
      manuallyStopped: extra.manuallyStopped ?? old.container.manuallyStopped,
    };
    const record: ContainerRecord = { ...old, container, conmonPid: extra.conmonPid ?? old.conmonPid };
    this.db.prepare('UPDATE container_states SET state = ?, restart_count = ?, manually_stopped = ?, conmon_pid = ? WHERE id = ?')
      .run(JSON.stringify(container.state), container.restartCount, container.manuallyStopped ? 1 : 0, record.conmonPid, id);
    this.byId.set(id, record);
    return record;
  }

  /** A state change kept in memory only (health probe results): the next saveState persists it. */
  updateStateInMemory(id: string, state: Partial<ContainerState>): ContainerRecord {
    const old = this.mustFind(id);
    const record: ContainerRecord = { ...old, container: { ...old.container, state: { ...old.container.state, ...state } } };
    this.byId.set(id, record);
    return record;
  }

  /** Replace the HostConfig (docker update); returns the new record. */
  saveHostConfig(id: string, hostConfig: Container['hostConfig']): ContainerRecord {
    const old = this.mustFind(id);
    const container: Container = { ...old.container, hostConfig };
    this.db.prepare('UPDATE container_configs SET body = ? WHERE id = ?').run(JSON.stringify(configBody(container)), id);
    const record: ContainerRecord = { ...old, container };
    this.byId.set(id, record);
    return record;
  }

  rename(id: string, newName: string): ContainerRecord {
    const old = this.mustFind(id);
    this.db.prepare('UPDATE container_configs SET name = ? WHERE id = ?').run(newName, id);
    const record: ContainerRecord = { ...old, container: { ...old.container, name: newName } };
    this.byId.set(id, record);
    this.byName.set(newName, id);
    this.releaseName(old.container.name, id);
    return record;
  }

  delete(id: string): void {
    const old = this.byId.get(id);
    this.db.prepare('DELETE FROM container_configs WHERE id = ?').run(id);
    this.byId.delete(id);
    if (old) this.releaseName(old.container.name, id);
  }

  private mustFind(id: string): ContainerRecord {
    const r = this.byId.get(id);
    if (!r) throw new NotFoundError(`No such container: ${id}`);
    return r;
  }
}

function configBody(c: Container): ConfigBody {
  return {
    path: c.path, args: c.args, config: c.config, hostConfig: c.hostConfig, logPath: c.logPath,
    resolvConfPath: c.resolvConfPath, hostnamePath: c.hostnamePath, hostsPath: c.hostsPath,
  };
}

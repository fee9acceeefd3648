// Metadata database: one SQLite file in WAL mode. A kill -9 at any moment leaves
// the last committed transaction intact; each component owns its own tables and
// creates them with CREATE TABLE IF NOT EXISTS through `migrate`.
import Database from 'better-sqlite3';

export type MetadataDb = Database.Database;

export function openMetadataDb(file: string): MetadataDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable against process crashes (our threat model is kill -9 of berthd).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function migrate(db: MetadataDb, statements: string[]): void {
  db.transaction(() => { for (const sql of statements) db.exec(sql); })();
}

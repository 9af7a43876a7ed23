import Database from 'better-sqlite3';
import { afterEach } from 'vitest';

/**
 * A test's own connection on a service's file, to check what was written
 * the way another program would see it (the service's connections live in
 * its worker threads). Closed after the test.
 */
export function useRawDb(): (file: string) => Database.Database {
  const opened: Database.Database[] = [];
  afterEach(() => { for (const db of opened.splice(0)) db.close(); });
  return (file) => {
    const db = new Database(file);
    opened.push(db);
    return db;
  };
}

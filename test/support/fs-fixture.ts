import { describe } from 'node:test';
import { FileSystem, type FileSystemOptions } from '../../src/fs/file-system.js';
import { createTestStore, testEngines, type EngineKind, type TestStore } from './engines.js';

export interface FsFixture {
  kind: EngineKind;
  store: TestStore;
  /** The superuser's view (the user who formatted the file system). */
  fs: FileSystem;
  /** Opens another process-independent instance on the same data (a second "namenode"). */
  reopen(options?: Partial<FileSystemOptions>): Promise<FileSystem>;
}

/**
 * Runs `body` once per engine under test, as `describe('<name> [sqlite]')` etc. Each call of `withFs` inside gets a
 * fresh file system (new data directory, new MySQL database), closed and removed afterwards.
 */
export function describeEachEngine(name: string, body: (withFs: <T>(fn: (f: FsFixture) => Promise<T>, options?: Partial<FileSystemOptions>) => Promise<T>, kind: EngineKind) => void): void {
  for (const kind of testEngines()) {
    describe(`${name} [${kind}]`, () => {
      const withFs = async <T>(fn: (f: FsFixture) => Promise<T>, options: Partial<FileSystemOptions> = {}): Promise<T> => {
        const store = await createTestStore(kind);
        const opened: FileSystem[] = [];
        const open = async (extra: Partial<FileSystemOptions> = {}) => {
          const fs = await FileSystem.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs', ...options, ...extra });
          opened.push(fs);
          return fs;
        };
        try {
          const fs = await open();
          return await fn({ kind, store, fs, reopen: open });
        } finally {
          for (const fs of opened) await fs.close().catch(() => undefined);
          await store.dispose();
        }
      };
      body(withFs, kind);
    });
  }
}

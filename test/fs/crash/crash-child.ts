// A child process for the kill tests: opens the file system given on the command line, runs one scenario, and prints
// markers on stdout (one per line) so the parent knows when to SIGKILL it. It never finishes on purpose before it is
// killed, except where a scenario ends by itself.
import { FileSystem } from '../../../src/fs/file-system.js';
import type { EngineConfig } from '../../../src/db/open-engine.js';

const [scenario, dataDir, engineJson] = process.argv.slice(2);
const engine = JSON.parse(engineJson!) as EngineConfig;
// Small delete batches make a 10,000-entry delete take long enough to be killed in the middle.
const fs = await FileSystem.open({
  dataDir: dataDir!,
  engine,
  user: 'hdfs',
  storagePolicy: { blockSize: 256 * 1024 },
  limits: { subtreeBatchSize: 50 },
});

function mark(what: string): void {
  process.stdout.write(what + '\n');
}

switch (scenario) {
  case 'large-create': {
    // Streams blocks forever; the parent kills it after several blocks were sealed.
    const writer = await fs.create('/big.bin');
    const chunk = Buffer.alloc(64 * 1024, 0xab);
    for (let i = 0; ; i++) {
      await writer.write(chunk);
      if (i === 40) mark('writing');
    }
  }
  case 'append-migrates': {
    // /small.txt holds 1000 bytes in the inode; the append pushes it past 64 KB into blocks before the kill.
    const writer = await fs.append('/small.txt');
    const chunk = Buffer.alloc(16 * 1024, 0x42);
    for (let i = 0; ; i++) {
      await writer.write(chunk);
      if (i === 20) mark('spilled');
    }
  }
  case 'rename-loop': {
    // Renames the directory back and forth as fast as it can; each rename is one transaction.
    const start = (await fs.exists('/left/dir')) ? 0 : 1;
    mark('renaming');
    for (let i = start; ; i++) {
      const [from, to] = i % 2 === 0 ? ['/left/dir', '/right/deep/dir'] : ['/right/deep/dir', '/left/dir'];
      await fs.rename(from, to);
    }
  }
  case 'delete-tree': {
    // Reports once the delete has visibly progressed (a whole subdirectory gone), so the kill lands midway.
    const progress = setInterval(() => {
      void fs.getFileStatus('/tree').then(
        (s) => {
          if (s.childrenNum < 100) {
            clearInterval(progress);
            mark('progressed');
          }
        },
        () => undefined,
      );
    }, 2);
    await fs.delete('/tree', { recursive: true });
    mark('deleted');
    setInterval(() => undefined, 1000); // stay alive until killed
    break;
  }
  default:
    throw new Error(`unknown scenario ${scenario}`);
}

import { FileNotFoundError } from '../../../errors/fs-errors.js';
import type { FileStatus } from '../../../fs/file-status.js';
import type { WebHdfsCall, WebHdfsOperation } from '../webhdfs-call.js';
import { requestOrigin } from '../webhdfs-urls.js';

// Where a file's blocks are, for split planning and locality (`getFileBlockLocations`, `listFiles`,
// `listLocatedStatus`). The blocks reported are the file's blockSize-long pieces, as humle fs's writer cuts them (after
// an append or a concat its stored blocks may be cut elsewhere, which no reader over OPEN can tell), and this server,
// as the client addressed it, is the one "datanode" that serves every byte. A block's id is its index in the file:
// WebHDFS clients read through OPEN, never by block id.

interface Block {
  index: number;
  offset: number;
  length: number;
}

/**
 * The blocks of the file that the range [offset, offset + length) touches, as HDFS's BlockManager picks them: the
 * block holding `offset` and the ones after it that start before the range ends (so at least one when the offset is
 * inside the file, none when it is past its end). A directory is not a file: FileNotFoundException, as in HDFS.
 */
async function blocksInRange(call: WebHdfsCall): Promise<{ status: FileStatus; blocks: Block[]; last: Block | undefined }> {
  const offset = call.params.long('offset', 0);
  const length = call.params.has('length') ? call.params.long('length', 0) : Number.MAX_SAFE_INTEGER;
  const status = await call.fs.getFileStatus(call.path);
  if (status.type !== 'FILE') throw new FileNotFoundError(`Path is not a file: ${call.path}`, { path: call.path });
  const count = Math.ceil(status.length / status.blockSize);
  const blockAt = (index: number): Block => {
    const start = index * status.blockSize;
    return { index, offset: start, length: Math.min(status.blockSize, status.length - start) };
  };
  const blocks: Block[] = [];
  const end = offset + length;
  for (let index = Math.floor(offset / status.blockSize); index < count; index++) {
    const block = blockAt(index);
    if (blocks.length > 0 && block.offset >= end) break;
    blocks.push(block);
  }
  return { status, blocks, last: count === 0 ? undefined : blockAt(count - 1) };
}

/** This server as HDFS names a datanode: host, `host:port`, and its place in the (single-rack) topology. */
function thisServer(call: WebHdfsCall) {
  const origin = requestOrigin(call);
  const port = origin.port === '' ? (origin.protocol === 'https:' ? 443 : 80) : Number(origin.port);
  const name = `${origin.hostname}:${port}`;
  return { hostname: origin.hostname, port, name, rack: '/default-rack' };
}

export const blockLocationOperations: Record<string, WebHdfsOperation> = {
  /** WebHDFS.md's public form: BlockLocation objects, as FileSystem.getFileBlockLocations returns them. */
  GETFILEBLOCKLOCATIONS: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      const { blocks } = await blocksInRange(call);
      const server = thisServer(call);
      const BlockLocation = blocks.map((block) => ({
        cachedHosts: [],
        corrupt: false,
        hosts: [server.hostname],
        length: block.length,
        names: [server.name],
        offset: block.offset,
        storageIds: [],
        storageTypes: ['DISK'],
        topologyPaths: [`${server.rack}/${server.name}`],
      }));
      return { BlockLocations: { BlockLocation } };
    },
  },

  /** The namenode's LocatedBlocks, which Hadoop's client falls back to (and older clients ask for first). */
  GET_BLOCK_LOCATIONS: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      const { status, blocks, last } = await blocksInRange(call);
      const server = thisServer(call);
      const datanode = {
        ipAddr: server.hostname,
        hostName: server.hostname,
        storageID: 'humle',
        xferPort: server.port,
        infoPort: server.port,
        infoSecurePort: 0,
        ipcPort: server.port,
        networkLocation: server.rack,
        adminState: 'NORMAL',
      };
      const located = (block: Block) => ({
        block: { blockPoolId: 'humle', blockId: block.index, numBytes: block.length, generationStamp: 0 },
        cachedLocations: [],
        isCorrupt: false,
        locations: [datanode],
        startOffset: block.offset,
        storageTypes: ['DISK'],
      });
      return {
        LocatedBlocks: {
          fileLength: status.length,
          isUnderConstruction: status.underConstruction,
          isLastBlockComplete: !status.underConstruction,
          lastLocatedBlock: last === undefined ? null : located(last),
          locatedBlocks: blocks.map(located),
        },
      };
    },
  },
};

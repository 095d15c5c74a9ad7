import type { XAttrSetFlag } from '../../../fs/xattrs.js';
import { invalid } from '../webhdfs-params.js';
import type { WebHdfsOperation } from '../webhdfs-call.js';

/** HDFS's XAttrCodec: "quoted" text, 0x hex or 0s base64; anything else is the text's UTF-8 bytes. */
function decodeValue(value: string): Buffer {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return Buffer.from(value.slice(1, -1), 'utf8');
  if (/^0x/i.test(value)) {
    const hex = value.slice(2);
    if (!/^([0-9a-f]{2})*$/i.test(hex)) throw invalid('xattr.value', value, 'it is not hex');
    return Buffer.from(hex, 'hex');
  }
  if (/^0s/i.test(value)) return Buffer.from(value.slice(2), 'base64');
  return Buffer.from(value, 'utf8');
}

function encodeValue(value: Buffer, encoding: string): string {
  switch (encoding) {
    case 'TEXT':
      return `"${value.toString('utf8')}"`;
    case 'HEX':
      return `0x${value.toString('hex')}`;
    default:
      return `0s${value.toString('base64')}`;
  }
}

/** `flag` is HDFS's XAttrSetFlag set: CREATE, REPLACE, or both. */
function setFlag(value: string | undefined): XAttrSetFlag | undefined {
  if (value === undefined || value === '') return undefined;
  const parts = new Set(value.toUpperCase().split(',').map((part) => part.trim()));
  const known = [...parts].every((part) => part === 'CREATE' || part === 'REPLACE');
  if (!known) throw invalid('flag', value, 'it must be CREATE, REPLACE or both');
  return parts.has('CREATE') && parts.has('REPLACE') ? 'create,replace' : parts.has('CREATE') ? 'create' : 'replace';
}

export const xattrOperations: Record<string, WebHdfsOperation> = {
  SETXATTR: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      const value = call.params.string('xattr.value');
      await call.fs.setXAttr(call.path, call.params.required('xattr.name'), value === undefined ? Buffer.alloc(0) : decodeValue(value), { flag: setFlag(call.params.string('flag')) });
      return undefined;
    },
  },

  REMOVEXATTR: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      await call.fs.removeXAttr(call.path, call.params.required('xattr.name'));
      return undefined;
    },
  },

  GETXATTRS: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      const encoding = (call.params.string('encoding') ?? 'TEXT').toUpperCase();
      if (!['TEXT', 'HEX', 'BASE64'].includes(encoding)) throw invalid('encoding', encoding, 'it must be text, hex or base64');
      const names = call.params.strings('xattr.name');
      const values = await call.fs.getXAttrs(call.path, names.length === 0 ? undefined : names);
      return { XAttrs: Object.entries(values).map(([name, value]) => ({ name, value: encodeValue(value, encoding) })) };
    },
  },

  LISTXATTRS: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      // HDFS answers the names as a JSON array inside a string.
      return { XAttrNames: JSON.stringify(await call.fs.listXAttrs(call.path)) };
    },
  },
};

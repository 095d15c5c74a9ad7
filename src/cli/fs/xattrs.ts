import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';
import { eachPath } from './each-path.js';
import { fsAction } from './fs-context.js';
import { walkTree } from './tree-walk.js';
import { decodeValue, encodeValue, parseEncoding, type XAttrEncoding } from './xattr-values.js';

interface SetOptions {
  n?: string;
  v?: string;
  x?: string;
}

interface GetOptions {
  d?: boolean;
  n?: string;
  e: XAttrEncoding;
  R?: boolean;
}

export function registerXAttrs(fs: Command): void {
  fs.command('setfattr')
    .description('set (-n NAME [-v VALUE]) or remove (-x NAME) an extended attribute; names start with user. or trusted.')
    .argument('<path>')
    .option('-n <name>', 'attribute to set')
    .option('-v <value>', 'its value: "text", 0x hex or 0s base64 (default empty)')
    .option('-x <name>', 'attribute to remove')
    .action(
      fsAction<[string, SetOptions]>(async (ctx, arg, options) => {
        const path = ctx.path(arg);
        if (options.x !== undefined) {
          await ctx.fs.removeXAttr(path, options.x);
          await ctx.out.result({ path, name: options.x, action: 'removed' });
          return;
        }
        await ctx.fs.setXAttr(path, options.n!, decodeValue(options.v ?? ''));
        await ctx.out.result({ path, name: options.n, action: 'set' });
      }, (_, options) => {
        if ((options.n === undefined) === (options.x === undefined)) throw new UsageError('setfattr needs either -n NAME or -x NAME');
        if (options.x !== undefined && options.v !== undefined) throw new UsageError('setfattr -x takes no -v');
        if (options.v !== undefined) decodeValue(options.v);
      }),
    );

  fs.command('getfattr')
    .description('print extended attributes: all (-d) or one (-n NAME)')
    .argument('<paths...>')
    .option('-d', 'dump all attributes the user may read')
    .option('-n <name>', 'print this attribute')
    .option('-e <encoding>', 'value encoding: text, hex or base64', parseEncoding, 'text' as XAttrEncoding)
    .option('-R', 'recursively')
    .action(
      fsAction<[string[], GetOptions]>(async (ctx, args, options) => {
        const encoding = options.e;
        const results: { path: string; xattrs: Record<string, string> }[] = [];
        const outcome = await eachPath(ctx.out, args, async (arg) => {
          const root = await ctx.fs.getFileStatus(ctx.path(arg));
          await walkTree(ctx.fs, root, options.R === true, async (status) => {
            const values = await ctx.fs.getXAttrs(status.path, options.d ? undefined : [options.n!]);
            const xattrs = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, encodeValue(value, encoding)]));
            results.push({ path: status.path, xattrs });
            await ctx.out.line(`# file: ${status.path}`);
            for (const [name, value] of Object.entries(xattrs)) await ctx.out.line(`${name}=${value}`);
          });
        });
        // In JSON the quotes of the text encoding would only be noise.
        const unquoted = encoding !== 'text' ? results : results.map((r) => ({ ...r, xattrs: Object.fromEntries(Object.entries(r.xattrs).map(([k, v]) => [k, v.slice(1, -1)])) }));
        await outcome.finish(unquoted);
      }, (_, options) => {
        if (!options.d && options.n === undefined) throw new UsageError('getfattr needs -d or -n NAME');
      }),
    );
}
